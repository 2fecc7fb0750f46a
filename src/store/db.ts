import { SqliteAdapter, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

/**
 * What a repository reads through: the store's connection pool or an open transaction (a
 * transaction is a `Db` too, so a read inside one sees its own writes).
 */
export type Db = Kysely<Database>;

/**
 * An open transaction: what a repository write takes, so that its caller decides which writes
 * (and which operation-log entries) commit together.
 */
export type Tx = Transaction<Database>;

/**
 * The dialect a connection or transaction speaks, for the few statements that differ (the
 * operation log's lock). Read from its adapter, so a transaction need not carry it alongside.
 */
export function dialectOf(db: Db): StoreDialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}
