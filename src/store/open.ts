import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { systemClock, type Clock } from '../core/clock.js';
import { UfError } from '../core/errors.js';
import type { Db, StoreDialect } from './db.js';
import { storeFault } from './faults.js';
import { guardDialect } from './guarded-driver.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { scopedIntrospection } from './scoped-introspector.js';

export interface Store {
  db: Db;
  dialect: StoreDialect;
  /** The time source every write stamps its rows and log entries with, unless its caller gives a time. */
  clock: Clock;
  /** Where the data lives, for messages: a file path or a URL without its password. */
  location: string;
  /** Opened with `readOnly`: every write fails with a typed error. */
  readOnly?: boolean;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres:// URL; when absent, `sqlitePath` is used. */
  url?: string | undefined;
  sqlitePath?: string;
  /** PostgreSQL schema to use (created if missing); tests use one per suite. */
  schema?: string;
  /**
   * Open for reading only (read-only commands): works on a read-only file, directory or database
   * role, never migrates, and says plainly when the schema is older than this version expects.
   */
  readOnly?: boolean;
  /**
   * Called when a pooled PostgreSQL connection fails while idle (server restart, terminated
   * backend). The pool drops it and connects afresh on the next query; without a handler the
   * error would be an unhandled `error` event that kills the process.
   */
  onConnectionError?: (error: Error) => void;
  /** How long a SQLite writer waits for another process's write lock before giving up (ms). */
  busyWaitMs?: number;
  /** The time source for what the store stamps; the system clock when absent. */
  clock?: Clock;
}

/** Opens the store and brings its schema up to date (or, read-only, checks that it is). */
export async function openStore(options: StoreOptions): Promise<Store> {
  const readOnly = options.readOnly === true;
  const store = options.url ? openPostgres(options.url, options) : openSqlite(options.sqlitePath ?? '.uf/factory.db', options);
  try {
    if (store.dialect === 'postgres' && options.schema && !readOnly) {
      await sql`create schema if not exists ${sql.id(options.schema)}`.execute(store.db);
    }
    const migrator = await migratorFor(store);
    if (readOnly) await checkCurrent(store, migrator);
    else await migrate(migrator);
  } catch (error) {
    await store.close();
    const typed = storeFault(error, store.location);
    throw typed instanceof UfError ? typed : new UfError('store_error', `cannot open store at ${store.location}: ${(error as Error).message}`, {}, { cause: error });
  }
  return store;
}

/**
 * For commands that only read: opens the store as usual (so an older schema is still brought up to
 * date when it can be), and when the store refuses writes (a read-only file, directory, disk or
 * database role, a hot-standby replica) opens it read-only instead of failing.
 */
export async function openStoreForReading(options: StoreOptions): Promise<Store> {
  if (options.readOnly) return openStore(options);
  try {
    return await openStore(options);
  } catch (error) {
    if (!isReadOnlyFault(error)) throw error;
    return openStore({ ...options, readOnly: true });
  }
}

function isReadOnlyFault(error: unknown): boolean {
  const cause = error instanceof UfError ? (error.cause instanceof UfError ? error.cause.cause : error.cause) : error;
  const code = String((cause as { code?: unknown } | undefined)?.code ?? '');
  return /^SQLITE_(READONLY|CANTOPEN|PERM)/.test(code) || ['25006', '42501', 'EACCES', 'EROFS', 'EPERM'].includes(code);
}

function openSqlite(path: string, options: StoreOptions): Store {
  const readOnly = options.readOnly === true;
  let database: SQLite.Database;
  let snapshotDir: string | undefined;
  try {
    if (path !== ':memory:' && !readOnly) mkdirSync(dirname(path), { recursive: true });
    database = new SQLite(path, readOnly ? { readonly: true, fileMustExist: true } : {});
    if (readOnly && !readableInPlace(database)) {
      // A WAL database needs its -shm file even to read; in a read-only directory (or file
      // system) it cannot be created, so reads go to a private copy taken now.
      database.close();
      snapshotDir = mkdtempSync(join(tmpdir(), 'uf-readonly-'));
      const copy = join(snapshotDir, basename(path));
      copyFileSync(path, copy);
      if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
      database = new SQLite(copy, { readonly: true, fileMustExist: true });
    }
    // A read-only handle cannot switch the journal mode; the file keeps the one it was created with.
    if (!readOnly) database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    // Several processes may share the file (uf serve and a CLI command): wait instead of failing.
    // Kept short because better-sqlite3 waits synchronously; longer waits retry asynchronously
    // with backoff (guarded-driver.ts), so a server's event loop is never blocked for long.
    database.pragma('busy_timeout = 1000');
  } catch (error) {
    throw openFault(error, path);
  }
  const dialect = guardDialect(new SqliteDialect({ database }), { location: path, sqlite: database, ...(options.busyWaitMs !== undefined ? { busyWaitMs: options.busyWaitMs } : {}) });
  const db = new Kysely<Database>({ dialect });
  const close = async () => {
    await db.destroy();
    if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
  };
  return { db, dialect: 'sqlite', clock: options.clock ?? systemClock, location: path, readOnly, close };
}

function readableInPlace(database: SQLite.Database): boolean {
  try {
    database.prepare('select count(*) from sqlite_master').get();
    return true;
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    if (code === 'SQLITE_READONLY_DIRECTORY' || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_READONLY_CANTINIT') return false;
    throw error;
  }
}

function openFault(error: unknown, path: string): UfError {
  const typed = storeFault(error, path);
  if (typed instanceof UfError) return typed;
  const reason = (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (error as Error).message;
  return new UfError('store_error', `cannot open store ${path}: ${reason}`, {}, { cause: error });
}

function openPostgres(url: string, options: StoreOptions): Store {
  const settings = [
    ...(options.schema ? [`-c search_path=${options.schema}`] : []),
    // The server enforces it: a read-only command cannot write even by mistake.
    ...(options.readOnly ? ['-c default_transaction_read_only=on'] : []),
  ];
  const location = redact(url);
  const report = options.onConnectionError ?? ((error: Error) => process.stderr.write(`uf: store ${location}: connection lost (${error.message}); reconnecting on next use\n`));
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Fail a connection attempt instead of waiting forever on an unreachable server.
    connectionTimeoutMillis: 10_000,
    ...(settings.length > 0 ? { options: settings.join(' ') } : {}),
  });
  // Idle clients report a terminated backend on the pool; clients in use report it on themselves.
  // Either way the pool discards the client and the next query connects afresh.
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  const dialect = guardDialect(scopedIntrospection(new PostgresDialect({ pool })), { location, onRetry: (error) => report(error as Error) });
  const db = new Kysely<Database>({ dialect });
  return { db, dialect: 'postgres', clock: options.clock ?? systemClock, location, readOnly: options.readOnly === true, close: () => db.destroy() };
}

/**
 * Kysely's migrator, told which PostgreSQL schema its bookkeeping tables live in: without it, it
 * looks for them in every schema of the database, takes another schema's tables for its own and
 * then fails to find them on its search path (two stores in one database, e.g. parallel suites).
 */
export async function migratorFor(store: Store): Promise<Migrator> {
  if (store.dialect !== 'postgres') return new Migrator({ db: store.db, provider: migrationProvider });
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(store.db);
  const schema = rows[0]?.schema ?? undefined;
  return new Migrator({ db: store.db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
}

async function migrate(migrator: Migrator): Promise<void> {
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    if (error instanceof UfError) throw error;
    const failed = results?.find((r) => r.status === 'Error');
    throw new UfError('store_error', `migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message}`, {}, { cause: error });
  }
}

/** A read-only store cannot migrate: name what is missing instead of failing on a missing table. */
async function checkCurrent(store: Store, migrator: Migrator): Promise<void> {
  const migrations = await migrator.getMigrations();
  const pending = migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
  if (pending.length === migrations.length) {
    throw new UfError('store_error', `store ${store.location} has no Upgrade Factory data yet (it was never opened for writing)`);
  }
  if (pending.length > 0) {
    throw new UfError('store_error', `store ${store.location} needs migration ${pending.join(', ')} and is opened read-only; run any write command once with write access to upgrade it`);
  }
}

/** A trivial round trip: fails (with a typed store error) when the store cannot be reached. */
export async function pingStore(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
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
