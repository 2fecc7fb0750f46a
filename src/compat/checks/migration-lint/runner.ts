import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UfError } from '../../../core/errors.js';
import type { MigrationLintCheckSettings } from '../../../config/sections/compat.js';
import type { CellFinding, CheckOutcome, CheckRequest, CheckRunner } from '../../types.js';
import { abortedOutcome, capFindings, inputErrorOutcome } from '../outcome.js';
import { lintMigration, type MigrationFinding } from './index.js';

function toFinding(finding: MigrationFinding): CellFinding {
  const { file, line, column } = finding.location;
  return { ruleId: finding.id, level: finding.level, text: `${finding.text}; instead: ${finding.alternative}`, location: `${file}:${line}:${column}` };
}

/**
 * `kind: migration-lint` as a matrix column: the files are linted in the order they run; an
 * error-level finding fails the cell, warnings alone pass it (and are kept as findings). Files are
 * named as the config writes them, so `file:line` reads the same as in factory.yaml.
 */
export const migrationLintRunner: CheckRunner<MigrationLintCheckSettings> = {
  kind: 'migration-lint',
  async run(request: CheckRequest<MigrationLintCheckSettings>): Promise<CheckOutcome> {
    const { spec, baseDir, signal } = request;
    const all: MigrationFinding[] = [];
    let statements = 0;
    for (const file of spec.files) {
      if (signal.aborted) return abortedOutcome(signal);
      try {
        const sql = await readMigration(resolve(baseDir, file), file);
        const result = await lintMigration(sql, file, { assumeInTransaction: spec.assumeInTransaction });
        statements += result.statements;
        all.push(...result.findings);
      } catch (error) {
        return inputErrorOutcome(error);
      }
    }
    if (signal.aborted) return abortedOutcome(signal);
    const errors = all.filter((f) => f.level === 'error');
    const ordered = [...errors, ...all.filter((f) => f.level !== 'error')];
    const { findings, cut } = capFindings(ordered.map(toFinding));
    const counts = `${spec.files.length} file(s), ${statements} statement(s): ${errors.length} error(s), ${all.length - errors.length} warning(s)${cut > 0 ? ` (${cut} finding(s) cut, ${findings.length} kept)` : ''}`;
    const details = { files: spec.files.length, statements, ...(cut > 0 ? { findingsCut: cut } : {}) };
    const first = errors[0];
    if (first) {
      const { file, line } = first.location;
      return { status: 'fail', summary: `${first.id} at ${file}:${line}: ${counts}`, ruleId: first.id, findings, details };
    }
    return { status: 'pass', summary: `no error-level finding: ${counts}`, findings, details };
  },
};

async function readMigration(path: string, file: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new UfError('usage', `cannot read the migration (${reason})`, { file }, { cause: error });
  }
}
