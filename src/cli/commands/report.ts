import type { FileOutcome } from '../../app/import-files.js';
import type { CliRuntime } from '../main.js';
import { printJson } from '../output.js';

/** Prints per-file results; errors go to stderr. Exit 2 when any file was refused. */
export function reportOutcomes<T>(runtime: CliRuntime, outcomes: FileOutcome<T>[], json: boolean, describe: (result: T) => string): number {
  const failed = outcomes.filter((o) => o.errors.length > 0);
  if (json) {
    printJson(
      runtime.output,
      outcomes.map((o) => ({
        file: o.file,
        ok: o.errors.length === 0,
        result: o.result ?? null,
        errors: o.errors.map((e) => ({ code: e.code, message: e.describe(), location: e.location ?? null })),
        warnings: o.warnings.map((e) => ({ code: e.code, message: e.describe(), location: e.location ?? null })),
      })),
    );
  } else {
    for (const o of outcomes) {
      if (o.result !== undefined) runtime.output.out(`${o.file}: ${describe(o.result)}${o.warnings.length ? `, ${o.warnings.length} warnings` : ''}`);
    }
  }
  for (const o of failed) for (const error of o.errors) runtime.output.err(`uf: ${error.describe()}`);
  if (failed.length > 0) runtime.output.err(`uf: ${failed.length} of ${outcomes.length} files refused; nothing from them was stored`);
  return failed.length > 0 ? 2 : 0;
}
