import { parse, hasSqlDetails } from 'libpg-query';
import { UfError } from '../../../core/errors.js';
import type { MigrationStatement, StatementLocation } from './types.js';

/**
 * Reads a migration with PostgreSQL's own parser (libpg_query, PostgreSQL 18). The parser gives
 * statement offsets in UTF-8 bytes and error positions in characters; both become line and
 * column here. Invalid SQL is a UfError `parse_error` naming the file, line and column.
 */
export async function parseMigration(text: string, file: string): Promise<MigrationStatement[]> {
  // A byte order mark (left by some Windows editors) is not SQL; a space keeps every offset where it was.
  const sql = text.replace(/^\uFEFF/, ' ');
  if (sql.trim() === '') return [];
  let result;
  try {
    result = await parse(sql);
  } catch (error) {
    throw parseError(error, sql, file);
  }
  const bytes = Buffer.from(sql, 'utf8');
  const statements: MigrationStatement[] = [];
  let byteOffset = 0;
  let charOffset = 0;
  for (const raw of result.stmts ?? []) {
    if (!raw.stmt) continue;
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    charOffset += bytes.subarray(byteOffset, start).toString('utf8').length;
    byteOffset = start;
    const text = bytes.subarray(start, end).toString('utf8');
    statements.push({ node: raw.stmt, location: locate(sql, charOffset, file), text });
  }
  return statements;
}

/** Line and column (from 1) of a UTF-16 offset. */
export function locate(sql: string, offset: number, file: string): StatementLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = sql.indexOf('\n'); i !== -1 && i < offset; i = sql.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, column: offset - lineStart + 1, offset };
}

function parseError(error: unknown, sql: string, file: string): UfError {
  if (hasSqlDetails(error) && error.sqlDetails) {
    // libpg_query reports the cursor in characters (code points), like psql's "LINE n:" caret.
    const offset = Array.from(sql).slice(0, Math.max(0, error.sqlDetails.cursorPosition)).join('').length;
    const { line, column } = locate(sql, offset, file);
    return new UfError('parse_error', `invalid SQL: ${error.sqlDetails.message}`, { file, line, column }, { cause: error });
  }
  // The wrapper turns a very deep parse tree into JSON and back by recursion, which can run out of stack.
  const message = error instanceof RangeError ? 'the SQL nests too deeply to be read' : error instanceof Error ? error.message : String(error);
  return new UfError('parse_error', `invalid SQL: ${message}`, { file }, { cause: error });
}
