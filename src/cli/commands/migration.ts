import type { Command } from 'commander';
import { isUfError, type UfError } from '../../core/errors.js';
import { lintMigrationFile, type MigrationLintResult } from '../../compat/checks/migration-lint/index.js';
import { action, type CliRuntime } from '../main.js';
import { printJson, type Output } from '../output.js';

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
