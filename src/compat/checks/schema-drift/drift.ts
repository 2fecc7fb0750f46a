import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { UfError, isUfError } from '../../../core/errors.js';
import { locate, parseMigration } from '../migration-lint/parse.js';
import type { MigrationStatement } from '../migration-lint/types.js';
import { diffSchemas } from './diff.js';
import { introspect } from './introspect.js';
import { schemaEscape } from './scope.js';
import type { DriftItem, SchemaShape } from './types.js';

export interface DriftRequest {
  /** postgres:// URL of the live database (read from the environment by the caller, never from argv or config). */
  url: string;
  /** The live schema to compare. */
  schema: string;
  /** Migration files in the order they ran: where to read each, and how to name it in messages. */
  files: readonly { path: string; name: string }[];
  ignoreTables?: readonly string[];
  signal?: AbortSignal;
  /** The scratch schema's name (tests); `uf_drift_` and 12 random hex digits when absent. */
  scratchSchema?: string;
}

export interface DriftReport {
  schema: string;
  files: number;
  statements: number;
  /** What the migrations produced, and what the live schema has. */
  expected: SchemaShape;
  actual: SchemaShape;
  items: DriftItem[];
}

interface ParsedFile {
  name: string;
  sql: string;
  statements: MigrationStatement[];
}

/**
 * Compares a live PostgreSQL schema with what its migrations produce. The files are read and
 * parsed first, and a statement that names a schema (or changes schemas or the search path) is
 * refused with its file:line: the migrations run in a scratch schema `uf_drift_<random>` with the
 * search path set to it alone, and a qualified name would write outside it, possibly into the
 * live schema. Rewriting such names was rejected: it would run SQL other than what was written.
 * Then the statements run one by one (so CREATE INDEX CONCURRENTLY and the files' own BEGIN/COMMIT
 * work as in production), both schemas are read from pg_catalog and compared. The scratch schema
 * is dropped in all cases, on a fresh connection if the first one broke.
 * Errors are UfErrors: bad files `usage`/`parse_error` with file:line; a statement PostgreSQL
 * rejects `usage` with file:line; an unreachable database or a failing catalog read `source_unavailable`.
 */
export async function detectDrift(request: DriftRequest): Promise<DriftReport> {
  const files = await readMigrations(request.files);
  const scratch = request.scratchSchema ?? `uf_drift_${randomBytes(6).toString('hex')}`;
  if (!/^uf_drift_[a-z0-9_]+$/.test(scratch)) throw new UfError('usage', `scratch schema "${scratch}" must match uf_drift_[a-z0-9_]+`);
  const where = describeDatabase(request.url);
  const client = await connect(request.url, where);
  const state = { created: false };
  // A lost lease stops a long statement at once, rather than at the next statement boundary.
  const cancel = () => void cancelBackend(request.url, client);
  request.signal?.addEventListener('abort', cancel, { once: true });
  let report: DriftReport;
  try {
    report = await replayAndCompare(client, request, files, scratch, where, state);
  } catch (caught) {
    request.signal?.removeEventListener('abort', cancel);
    // pg's own errors (a missing CREATE privilege, a connection lost) become typed ones naming the database.
    // A statement cancelled because the signal fired says why it stopped, whichever point the abort reached.
    const error = request.signal?.aborted
      ? stoppedError(request.signal, caught)
      : isUfError(caught)
        ? caught
        : new UfError('source_unavailable', `database ${where}: ${(caught as Error).message}`, {}, { cause: caught });
    await cleanUp(client, request.url, scratch, where, state.created, error);
    throw error;
  }
  request.signal?.removeEventListener('abort', cancel);
  await cleanUp(client, request.url, scratch, where, state.created, undefined);
  return report;
}

async function replayAndCompare(client: pg.Client, request: DriftRequest, files: ParsedFile[], scratch: string, where: string, state: { created: boolean }): Promise<DriftReport> {
  aborted(request.signal);
  await client.query(`CREATE SCHEMA ${scratch}`);
  state.created = true;
  await client.query(`SET search_path TO ${scratch}`);
  let statements = 0;
  for (const file of files) {
    for (const statement of file.statements) {
      aborted(request.signal);
      await runStatement(client, file, statement);
      statements++;
    }
  }
  // A file that leaves its transaction open would hide its work from the catalog reads.
  await client.query('COMMIT');
  aborted(request.signal);
  const expected = await introspect(client, scratch).catch((error: unknown) => rethrow(error, `reading the schema the migrations produced on ${where}`));
  const actual = await introspect(client, request.schema).catch((error: unknown) => rethrow(error, `reading schema "${request.schema}" on ${where}`));
  expected.schema = request.schema;
  const items = diffSchemas(expected, actual, request.ignoreTables ? { ignoreTables: request.ignoreTables } : {});
  return { schema: request.schema, files: files.length, statements, expected, actual, items };
}

/**
 * Drops the scratch schema and closes the connection. When the run already failed, a failed drop
 * is added to its error (both matter: why the run failed, and the schema left behind).
 */
async function cleanUp(client: pg.Client, url: string, scratch: string, where: string, created: boolean, failure: unknown): Promise<void> {
  try {
    if (created) await dropScratch(client, url, scratch, where);
  } catch (dropError) {
    if (failure === undefined) throw dropError;
    if (isUfError(failure)) (failure as { message: string }).message += `; and ${(dropError as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function readMigrations(files: DriftRequest['files']): Promise<ParsedFile[]> {
  const parsed: ParsedFile[] = [];
  for (const { path, name } of files) {
    let sql: string;
    try {
      sql = await readFile(path, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      throw new UfError('usage', `cannot read the migration (${reason})`, { file: name }, { cause: error });
    }
    const statements = await parseMigration(sql, name);
    for (const statement of statements) {
      const escape = schemaEscape(statement.node);
      if (escape !== undefined) {
        const { line, column } = startOf(sql, statement, name);
        throw new UfError('usage', `statement ${escape}: schema drift replays migrations in a scratch schema and refuses statements that reach another schema; write names unqualified`, { file: name, line, column });
      }
    }
    parsed.push({ name, sql, statements });
  }
  return parsed;
}

async function connect(url: string, where: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A backend terminated while idle is reported here; the next query then fails and says so.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new UfError('source_unavailable', `cannot connect to the database ${where}: ${(error as Error).message}`, {}, { cause: error });
  }
  return client;
}

async function runStatement(client: pg.Client, file: ParsedFile, statement: MigrationStatement): Promise<void> {
  try {
    await client.query(statement.text);
  } catch (error) {
    const position = Number((error as { position?: string }).position);
    const offset = Number.isFinite(position) && position > 0 ? statement.location.offset + Math.max(0, position - 1) : startOf(file.sql, statement, file.name).offset;
    const { line, column } = locate(file.sql, offset, file.name);
    throw new UfError('usage', `migration failed on PostgreSQL: ${(error as Error).message}`, { file: file.name, line, column }, { cause: error });
  }
}

/** Where the statement's first word is (the parser's offset includes the blank lines and comments before it). */
function startOf(sql: string, statement: MigrationStatement, file: string): { line: number; column: number; offset: number } {
  const lead = /^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/.exec(statement.text)?.[0].length ?? 0;
  return locate(sql, statement.location.offset + lead, file);
}

async function dropScratch(client: pg.Client, url: string, scratch: string, where: string): Promise<void> {
  const drop = async (on: pg.Client) => {
    // A failed statement inside the migration's own BEGIN leaves the session in an aborted transaction.
    await on.query('ROLLBACK').catch(() => undefined);
    await on.query(`DROP SCHEMA IF EXISTS ${scratch} CASCADE`);
  };
  try {
    await drop(client);
    return;
  } catch {
    // The first connection broke (or was terminated): drop from a fresh one.
  }
  const fresh = await connect(url, where);
  try {
    await drop(fresh);
  } catch (error) {
    throw new UfError('source_unavailable', `cannot drop the scratch schema ${scratch} on ${where}: ${(error as Error).message}; drop it by hand`, {}, { cause: error });
  } finally {
    await fresh.end().catch(() => undefined);
  }
}

/** Cancels the statement the client is running, from a second connection (pg_cancel_backend). */
async function cancelBackend(url: string, client: pg.Client): Promise<void> {
  const pid = (client as unknown as { processID?: number }).processID;
  if (pid === undefined) return;
  const canceller = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  canceller.on('error', () => undefined);
  try {
    await canceller.connect();
    await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // Best effort: the run still stops at the next statement boundary.
  } finally {
    await canceller.end().catch(() => undefined);
  }
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw stoppedError(signal, undefined);
}

function stoppedError(signal: AbortSignal, cause: unknown): UfError {
  const reason: unknown = signal.reason;
  return new UfError('usage', `schema drift stopped: ${reason instanceof Error ? reason.message : 'aborted'}`, {}, cause === undefined ? undefined : { cause });
}

function rethrow(error: unknown, doing: string): never {
  if (isUfError(error)) throw error;
  throw new UfError('source_unavailable', `${doing}: ${(error as Error).message}`, {}, { cause: error });
}

/** `host:port/database`, for messages: never the user or password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
  } catch {
    return '(an unparseable database URL)';
  }
}
