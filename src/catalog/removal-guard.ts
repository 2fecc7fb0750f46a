import { UfError } from '../core/errors.js';

/** What an import would do to the records it replaces (the catalog entities of a file, a service's inventory). */
export interface RemovalPlan {
  file: string;
  /** `entities`, `components`: how the message counts. */
  noun: string;
  /** Records stored now that this import replaces. */
  replacing: number;
  /** Of those, how many the import would delete. */
  removing: number;
  /** Records the new file yielded. */
  yielded: number;
}

/**
 * An import may remove at most this share of what it replaces without `--allow-removals`: an
 * empty, truncated or wrong file would otherwise wipe the estate and, through it, every upgrade's
 * scope. A real change of that size is rare enough to ask for the flag.
 */
const maxRemovedShare = 0.5;

/**
 * Refuses (UfError `import_invalid`, exit 2) an import that would remove more than half of what it
 * replaces, or anything at all from a file that yielded no records, unless removals are allowed.
 */
export function guardRemovals(plan: RemovalPlan, allowRemovals: boolean): void {
  if (allowRemovals || plan.removing === 0 || plan.replacing === 0) return;
  if (plan.yielded > 0 && plan.removing <= plan.replacing * maxRemovedShare) return;
  const message =
    `would remove ${plan.removing} of ${plan.replacing} ${plan.noun} (the file yielded ${plan.yielded}); ` +
    'nothing was changed: pass --allow-removals if intended';
  throw new UfError('import_invalid', message, { file: plan.file });
}
