import { readFile } from 'node:fs/promises';
import { UfError } from '../../../core/errors.js';
import { LintContext } from './context.js';
import { parseMigration } from './parse.js';
import { checkColumns } from './rules/columns.js';
import { checkConstraints } from './rules/constraints.js';
import { checkDomains } from './rules/domains.js';
import { checkIndexes } from './rules/indexes.js';
import { checkLockTimeout } from './rules/timeouts.js';
import { checkRewrites } from './rules/rewrites.js';
import { checkTables } from './rules/tables.js';
import { checkTransactions, uncommittedHit } from './rules/transactions.js';
import { checkColumnTypes } from './rules/types.js';
import type { LintOptions, MigrationFinding, MigrationLintResult, MigrationStatement, RuleHit } from './types.js';

export type { LintOptions, MigrationFinding, MigrationLevel, MigrationLintResult, StatementLocation } from './types.js';

/** Every rule family, in the order their findings are listed for one statement. */
const ruleFamilies: readonly ((statement: MigrationStatement, context: LintContext) => RuleHit[])[] = [
  checkTransactions,
  checkTables,
  checkColumns,
  checkConstraints,
  checkIndexes,
  checkDomains,
  checkRewrites,
  checkColumnTypes,
  checkLockTimeout,
];

/**
 * Lints one PostgreSQL migration for what breaks the version still serving during a canary and
 * what takes locks that stall traffic. Statements are read in order, so a table created earlier
 * in the file counts as new (no readers, no rows). Invalid SQL: UfError `parse_error`.
 */
export async function lintMigration(sql: string, file: string, options: LintOptions = {}): Promise<MigrationLintResult> {
  const statements = await parseMigration(sql, file);
  const context = new LintContext(options);
  const findings: MigrationFinding[] = [];
  for (const statement of statements) {
    for (const family of ruleFamilies) findings.push(...family(statement, context).map((hit) => place(hit, statement)));
    context.record(statement.node);
  }
  if (context.openBegin) findings.push(place(uncommittedHit(), context.openBegin));
  return { file, statements: statements.length, findings };
}

/** `lintMigration` on a file; an unreadable file is a UfError `usage` naming it. */
export async function lintMigrationFile(file: string, options: LintOptions = {}): Promise<MigrationLintResult> {
  let sql: string;
  try {
    sql = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new UfError('usage', `cannot read the migration (${reason})`, { file }, { cause: error });
  }
  return lintMigration(sql, file, options);
}

function place(hit: RuleHit, statement: MigrationStatement): MigrationFinding {
  const firstLine = statement.text.split('\n', 1)[0] ?? '';
  return { ...hit, location: statement.location, statement: firstLine.length > 120 ? `${firstLine.slice(0, 117)}...` : firstLine };
}
