import { UfError } from '../core/errors.js';

/**
 * Every problem of one config file, each at its own line, so a user fixes them in one pass. It is
 * a UfError whose message and location are the first problem's, and whose describe() lists all.
 */
export class ConfigErrors extends UfError {
  readonly problems: readonly UfError[];

  constructor(problems: readonly UfError[]) {
    const first = problems[0];
    if (!first) throw new Error('ConfigErrors needs at least one problem');
    super('config_invalid', first.message, first.location);
    this.problems = problems;
  }

  override describe(): string {
    return this.problems.map((p) => p.describe()).join('\n');
  }
}

/** One problem or several: a single one stays a plain UfError. */
export function configError(problems: readonly UfError[]): UfError {
  return problems.length === 1 ? problems[0]! : new ConfigErrors(problems);
}
