import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { UfError } from '../core/errors.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: StoreDialect;
  /** Where the data lives, for messages: a file path or a URL without its password. */
  location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres:// URL; when absent, `sqlitePath` is used. */
  url?: string | undefined;
  sqlitePath?: string;
  /** PostgreSQL schema to use (created if missing); tests use one per suite. */
  schema?: string;
}

/** Opens the store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.url ? openPostgres(options.url, options.schema) : openSqlite(options.sqlitePath ?? '.uf/factory.db');
  try {
    if (store.dialect === 'postgres' && options.schema) {
      await sql`create schema if not exists ${sql.id(options.schema)}`.execute(store.db);
    }
    await migrate(store.db);
  } catch (error) {
    await store.close();
    throw error instanceof UfError ? error : new UfError('store_error', `cannot open store at ${store.location}: ${(error as Error).message}`, {}, { cause: error });
  }
  return store;
}

function openSqlite(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  // Several processes may share the file (uf serve and a CLI command): wait instead of failing.
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', location: path, close: () => db.destroy() };
}

function openPostgres(url: string, schema: string | undefined): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', location: redact(url), close: () => db.destroy() };
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new UfError('store_error', `migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message}`, {}, { cause: error });
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
