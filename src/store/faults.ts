import { UfError } from '../core/errors.js';

/**
 * Turns a database driver's error into a typed, one-line UfError naming the store, so a user sees
 * "store .uf/factory.db is full" instead of a stack trace (or, worse, a follow-on error such as
 * "cannot rollback - no transaction is active" that hides the real cause). Errors that are not a
 * storage fault (a bug in a query) are returned unchanged: their stack is what a developer needs.
 */
export function storeFault(error: unknown, location: string): unknown {
  if (error instanceof UfError || !(error instanceof Error)) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const reason = describeFault(code, error, location);
  if (!reason) return error;
  return new UfError(reason.code, reason.message, {}, { cause: error });
}

/** Connection-class failures: the statement never ran (or its connection died), so a read may be retried. */
export function isConnectionError(error: unknown): boolean {
  const cause = error instanceof UfError ? error.cause : error;
  if (!(cause instanceof Error)) return false;
  const code = String((cause as { code?: unknown }).code ?? '');
  if (connectionCodes.has(code) || code.startsWith('08')) return true;
  return /Connection terminated|connection is closed|Client has encountered a connection error|terminating connection/i.test(cause.message);
}

/** SQLITE_BUSY / SQLITE_LOCKED: another connection holds the write lock; waiting and retrying helps. */
export function isBusyError(error: unknown): boolean {
  const cause = error instanceof UfError ? error.cause : error;
  const code = String((cause as { code?: unknown } | undefined)?.code ?? '');
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

// Node socket errors and PostgreSQL's admin_shutdown / crash_shutdown / cannot_connect_now.
const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03']);

function describeFault(code: string, error: Error, location: string): { code: 'store_error' | 'conflict'; message: string } | undefined {
  const detail = firstLine(error.message);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') {
    const pgDetail = (error as { detail?: string }).detail;
    return { code: 'conflict', message: `a record with the same key already exists in store ${location} (${pgDetail ? firstLine(pgDetail) : detail}); another writer got there first: re-run to pick up its result` };
  }
  if (code === 'SQLITE_FULL' || code === '53100') {
    return { code: 'store_error', message: `store ${location} is full (${code}): no room left on its disk or under its size limit; nothing of this change was written` };
  }
  if (code.startsWith('SQLITE_READONLY') || code === '25006') {
    return { code: 'store_error', message: `store ${location} is read-only (${code}): this command writes; read-only commands (log verify, upgrades list, ...) still work` };
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return { code: 'store_error', message: `store ${location}: disk I/O error (${code}); check the disk and free space` };
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return { code: 'store_error', message: `store ${location} is damaged or not a database (${code}); restore it from a backup` };
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return { code: 'store_error', message: `cannot open store ${location} (${code}): the file or its directory is missing or not accessible` };
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return { code: 'store_error', message: `store ${location} is busy (${code}): another process (an import or intake?) holds its write lock; try again when it finishes` };
  }
  if (isConnectionError(error)) {
    return { code: 'store_error', message: `store ${location} is unreachable (${code || detail}): ${detail}` };
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}
