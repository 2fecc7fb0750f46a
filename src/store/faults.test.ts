import { describe, expect, it } from 'vitest';
import { UfError } from '../core/errors.js';
import { isConnectionError, storeFault } from './faults.js';

const driverError = (code: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });

describe('storeFault', () => {
  it.each([
    ['SQLITE_FULL', 'database or disk is full', 'store_error', 'store f.db is full (SQLITE_FULL)'],
    ['SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database', 'store_error', 'store f.db is read-only (SQLITE_READONLY_DIRECTORY)'],
    ['SQLITE_IOERR_WRITE', 'disk I/O error', 'store_error', 'store f.db: disk I/O error (SQLITE_IOERR_WRITE)'],
    ['SQLITE_NOTADB', 'file is not a database', 'store_error', 'store f.db is damaged or not a database (SQLITE_NOTADB)'],
    ['SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: upgrades.purl', 'conflict', 'a record with the same key already exists in store f.db (UNIQUE constraint failed: upgrades.purl)'],
    ['23505', 'duplicate key value violates unique constraint "advisories_pkey"', 'conflict', 'a record with the same key already exists in store f.db (duplicate key value violates unique constraint "advisories_pkey")'],
    ['57P01', 'terminating connection due to administrator command', 'store_error', 'store f.db is unreachable (57P01)'],
    ['53100', 'could not extend file: No space left on device', 'store_error', 'store f.db is full (53100)'],
  ])('%s becomes a typed one-line %s', (code, message, expected, start) => {
    const fault = storeFault(driverError(code, message), 'f.db');
    expect(fault).toBeInstanceOf(UfError);
    expect((fault as UfError).code).toBe(expected);
    expect((fault as UfError).message.startsWith(start)).toBe(true);
    expect((fault as UfError).message).not.toContain('\n');
  });

  it('leaves errors that are not storage faults alone (a bug in a query keeps its stack)', () => {
    const bug = driverError('SQLITE_ERROR', 'no such column: nope');
    expect(storeFault(bug, 'f.db')).toBe(bug);
  });

  it('recognises dead connections, also once wrapped', () => {
    const dead = new Error('Connection terminated unexpectedly');
    expect(isConnectionError(dead)).toBe(true);
    expect(isConnectionError(storeFault(dead, 'pg'))).toBe(true);
    expect(isConnectionError(driverError('42P01', 'relation "x" does not exist'))).toBe(false);
  });
});
