import { UfError } from '../../core/errors.js';
import type { Store } from '../../store/open.js';
import { appendLog } from '../../store/repos/operation-log.js';

/** The guards, by their key under `guards:` in factory.yaml. */
export type GuardRule = 'bundling' | 'rollbackDrill' | 'releaseNotes';

/**
 * A guard's refusal: code `guard_refused` (HTTP 409, CLI exit 2), the key path of the rule that
 * refused (`guards.bundling`), and a message with the numbers and the way to satisfy it.
 */
export function guardRefusal(rule: GuardRule, subject: string, message: string): UfError {
  return new UfError('guard_refused', `guard ${rule} refused: ${message}`, { path: `guards.${rule}`, record: subject });
}

export function isGuardRefusal(error: unknown): error is UfError {
  return error instanceof UfError && error.code === 'guard_refused';
}

/** Writes a refusal to the operation log (action `guard.refused`, the rule as evidence ref). */
export async function logRefusal(store: Store, refusal: UfError, input: { actor: string; subject: string; at: Date }): Promise<void> {
  const rule = refusal.location?.path ?? 'guards';
  await store.db.transaction().execute((tx) => appendLog(tx, [{ actor: input.actor, action: 'guard.refused', subject: input.subject, reason: refusal.message, evidenceRef: rule }], input.at));
}
