import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { UfError } from '../core/errors.js';
import { isBusyError, isConnectionError, storeFault } from './faults.js';

export interface GuardOptions {
  /** Where the data lives, for messages. */
  location: string;
  /** The SQLite handle, when the dialect is SQLite: writes begin IMMEDIATE and rollbacks check it. */
  sqlite?: SQLite.Database;
  /** How long a SQLite writer keeps retrying a busy database before giving up, in ms. */
  busyWaitMs?: number;
  /** Called when a PostgreSQL read is retried on a fresh connection (for the log). */
  onRetry?: (error: unknown) => void;
}

/**
 * Wraps a Kysely dialect so that every driver error passes through `storeFault` (typed one-line
 * reasons), SQLite write transactions take the write lock up front (`BEGIN IMMEDIATE`: a deferred
 * transaction that upgrades from read to write fails at once with SQLITE_BUSY, which busy_timeout
 * cannot help) and wait for it with backoff, a rollback after SQLite already rolled back (it does
 * so by itself on SQLITE_FULL) does not hide the cause, and a PostgreSQL read outside a
 * transaction whose connection died is retried once on a fresh one.
 */
export function guardDialect(inner: Dialect, options: GuardOptions): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createDriver: () => new GuardedDriver(inner.createDriver(), options),
  };
}

class GuardedConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: GuardedDriver,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw this.driver.fault(error);
    }
  }
}

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly options: GuardOptions,
  ) {}

  fault(error: unknown): unknown {
    return storeFault(error, this.options.location);
  }

  async init(): Promise<void> {
    try {
      await this.inner.init();
    } catch (error) {
      throw this.fault(error);
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    try {
      return new GuardedConnection(await this.inner.acquireConnection(), this);
    } catch (error) {
      throw this.fault(error);
    }
  }

  async execute<R>(connection: GuardedConnection, query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await connection.inner.executeQuery<R>(query);
    } catch (error) {
      if (this.options.sqlite && !connection.inTransaction && isBusyError(error)) {
        // A single statement outside a transaction failed whole: waiting and running it again is safe.
        return this.retryBusy(() => connection.inner.executeQuery<R>(query));
      }
      if (!this.options.sqlite && !connection.inTransaction && isRead(query) && isConnectionError(error)) {
        this.options.onRetry?.(error);
        return this.onFreshConnection<R>(query);
      }
      throw this.fault(error);
    }
  }

  private async onFreshConnection<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    let fresh: DatabaseConnection | undefined;
    try {
      fresh = await this.inner.acquireConnection();
      return await fresh.executeQuery<R>(query);
    } catch (error) {
      throw this.fault(error);
    } finally {
      if (fresh) await this.inner.releaseConnection(fresh);
    }
  }

  private async retryBusy<R>(run: () => Promise<R>): Promise<R> {
    const deadline = performance.now() + (this.options.busyWaitMs ?? 120_000);
    let delay = 50;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        return await run();
      } catch (error) {
        if (!isBusyError(error)) throw this.fault(error);
        if (performance.now() >= deadline) {
          throw new UfError(
            'store_error',
            `store ${this.options.location} is busy: another process (an import or intake?) has held its write lock for over ${Math.round((this.options.busyWaitMs ?? 120_000) / 1000)} s; try again when it finishes`,
            {},
            { cause: error },
          );
        }
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  async beginTransaction(connection: GuardedConnection, settings: TransactionSettings): Promise<void> {
    if (this.options.sqlite) {
      const begin = () => connection.inner.executeQuery(CompiledQuery.raw('begin immediate'));
      try {
        await begin();
      } catch (error) {
        if (!isBusyError(error)) throw this.fault(error);
        await this.retryBusy(begin);
      }
    } else {
      try {
        await this.inner.beginTransaction(connection.inner, settings);
      } catch (error) {
        throw this.fault(error);
      }
    }
    connection.inTransaction = true;
  }

  async commitTransaction(connection: GuardedConnection): Promise<void> {
    try {
      await this.inner.commitTransaction(connection.inner);
    } catch (error) {
      throw this.fault(error);
    } finally {
      connection.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: GuardedConnection): Promise<void> {
    connection.inTransaction = false;
    // SQLite rolls back by itself on SQLITE_FULL, SQLITE_IOERR and a few others; a second rollback
    // would fail and replace the real reason with "cannot rollback - no transaction is active".
    if (this.options.sqlite && !this.options.sqlite.inTransaction) return;
    try {
      await this.inner.rollbackTransaction(connection.inner);
    } catch (error) {
      // The transaction's own error is the one worth reporting; a dead connection cannot roll back
      // anyway (the server discards its transaction), so this one is dropped.
      if (isConnectionError(error)) return;
      throw this.fault(error);
    }
  }

  async savepoint(connection: GuardedConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.savepoint!(connection.inner, name, compile);
  }

  async rollbackToSavepoint(connection: GuardedConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.rollbackToSavepoint!(connection.inner, name, compile);
  }

  async releaseSavepoint(connection: GuardedConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.releaseSavepoint!(connection.inner, name, compile);
  }

  async releaseConnection(connection: GuardedConnection): Promise<void> {
    connection.inTransaction = false;
    await this.inner.releaseConnection(connection.inner);
  }

  async destroy(): Promise<void> {
    await this.inner.destroy();
  }
}

function isRead(query: CompiledQuery): boolean {
  return SelectQueryNode.is(query.query) || /^\s*select\b/i.test(query.sql);
}
