import type { Command } from 'commander';
import { isUfError, UfError } from '../../core/errors.js';
import { lintMigrationFile, type MigrationLintResult } from '../../compat/checks/migration-lint/index.js';
import { defaultIgnoredTables, describeDrift, detectDrift, type DriftReport } from '../../compat/checks/schema-drift/index.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson, type Output } from '../output.js';

interface DriftCommandOptions {
  databaseUrlEnv: string;
  schema: string;
  ignoreTable?: string[];
  json?: boolean;
}

/** Where `uf migration drift` reads the live database URL unless told another variable: never argv, which `ps` shows. */
export const defaultDriftUrlEnv = 'UF_DRIFT_DATABASE_URL';

interface LintCommandOptions {
  json?: boolean;
  assumeInTransaction?: boolean;
}

export function registerMigration(program: Command, runtime: CliRuntime): void {
  const migration = program.command('migration').description('PostgreSQL migration safety for canary rollouts');
  migration
    .command('lint')
    .description('flag what breaks the version still serving and what takes locks that stall traffic; exit 1 when an error is flagged, 2 when a file cannot be read or is not valid SQL')
    .argument('<files...>', 'migration files (.sql)')
    .option('--json', 'machine-readable output')
    .option('--assume-in-transaction', 'the migration tool runs each file in one transaction (CONCURRENTLY cannot work there)')
    .action(
      action(runtime, async (files: string[], options: LintCommandOptions) => {
        const results: MigrationLintResult[] = [];
        const failures: UfError[] = [];
        for (const file of files) {
          try {
            results.push(await lintMigrationFile(file, { assumeInTransaction: options.assumeInTransaction === true }));
          } catch (error) {
            if (!isUfError(error)) throw error;
            failures.push(error);
          }
        }
        const flagged = results.some((result) => result.findings.some((finding) => finding.level === 'error'));
        const exitCode = failures.length > 0 ? 2 : flagged ? 1 : 0;
        if (options.json) {
          const errors = failures.map((error) => ({ code: error.code, message: error.message, ...error.location }));
          printJson(runtime.output, { files: results, errors, exitCode });
        } else printText(runtime.output, results, failures);
        return exitCode;
      }),
    );
  migration
    .command('drift')
    .description(`compare a live PostgreSQL schema with what the migrations produce (replayed in a scratch schema that is dropped after); exit 1 on drift, 2 when a file is invalid or the database cannot be reached`)
    .argument('<files...>', 'migration files (.sql), in the order they ran')
    .option('--database-url-env <name>', 'environment variable holding the live database URL (kept out of argv)', defaultDriftUrlEnv)
    .option('--schema <name>', 'the live schema to compare', 'public')
    .option('--ignore-table <name...>', `tables to leave out, replacing the default list (${defaultIgnoredTables.join(', ')})`)
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (files: string[], options: DriftCommandOptions) => {
        const url = process.env[options.databaseUrlEnv];
        let report: DriftReport;
        try {
          if (url === undefined || url === '') throw new UfError('usage', `environment variable ${options.databaseUrlEnv} is not set: put the live database URL there (or name another variable with --database-url-env)`);
          report = await detectDrift({ url, schema: options.schema, files: files.map((file) => ({ path: file, name: file })), ...(options.ignoreTable ? { ignoreTables: options.ignoreTable } : {}) });
        } catch (error) {
          if (!isUfError(error)) throw error;
          // Every failure here is bad input or an unreachable database (exit 2), a missing schema included.
          if (options.json) printJson(runtime.output, { error: { code: error.code, message: error.message, ...error.location }, exitCode: 2 });
          else runtime.output.err(`uf: ${error.describe()}`);
          return 2;
        }
        const exitCode = report.items.length > 0 ? 1 : 0;
        if (options.json) printJson(runtime.output, { schema: report.schema, files: report.files, statements: report.statements, items: report.items, exitCode });
        else printDrift(runtime.output, report);
        return exitCode;
      }),
    );
}

function printDrift(output: Output, report: DriftReport): void {
  if (report.items.length > 0) output.out(formatTable(['DRIFT', 'OBJECT', 'DETAIL'], report.items.map((item) => [item.id, item.object, describeDrift(item)])) + '\n');
  const tables = Object.keys(report.expected.tables).length;
  output.out(`schema ${report.schema}: ${report.files} file(s), ${report.statements} statement(s), ${tables} table(s) expected: ${report.items.length === 0 ? 'no drift' : `${report.items.length} drift item(s)`}`);
}

function printText(output: Output, results: MigrationLintResult[], failures: UfError[]): void {
  for (const result of results) {
    for (const finding of result.findings) {
      const { file, line, column } = finding.location;
      output.out(`${file}:${line}:${column}: ${finding.level} ${finding.id}: ${finding.text}`);
      output.out(`  statement: ${finding.statement}`);
      output.out(`  instead: ${finding.alternative}`);
    }
  }
  for (const failure of failures) output.err(`uf: ${failure.describe()}`);
  const count = (level: string): number => results.reduce((n, result) => n + result.findings.filter((f) => f.level === level).length, 0);
  const statements = results.reduce((n, result) => n + result.statements, 0);
  output.out(`${results.length} file(s), ${statements} statement(s): ${count('error')} error(s), ${count('warning')} warning(s)${failures.length > 0 ? `, ${failures.length} file(s) not read` : ''}`);
}
