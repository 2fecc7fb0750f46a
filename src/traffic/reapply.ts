import type { TrafficRouter, TrafficWeights, WeightState } from './types.js';

/** What `reapplyWeights` found on the data plane and what it did about it. */
export interface ReapplyOutcome {
  /** The weights the router reported before anything was done. */
  found: WeightState;
  /** The recorded weights, baseline filled in (0 when absent). */
  wanted: Required<TrafficWeights>;
  /** Whether the recorded weights were set (they differed from what was found). */
  applied: boolean;
}

/**
 * Puts the recorded weights back on a router that may have forgotten them: the built-in router
 * and HAProxy keep runtime weights in memory only, so after a restart they serve the weights they
 * started with. Reads `verifyWeight()` and, when the canary, baseline or stable share differs from
 * the recorded one, sets the recorded weights (idempotent, so a crash between the read and the set
 * is harmless: the next call sets them again). The header route is not touched. The rollout
 * reconciler calls this when it resumes a rollout; errors from the router propagate unchanged.
 */
export async function reapplyWeights(router: TrafficRouter, recorded: TrafficWeights): Promise<ReapplyOutcome> {
  const wanted = { canary: recorded.canary, baseline: recorded.baseline ?? 0 };
  const found = await router.verifyWeight();
  const same = found.canary === wanted.canary && (found.baseline ?? 0) === wanted.baseline && found.stable === 100 - wanted.canary - wanted.baseline;
  if (same) return { found, wanted, applied: false };
  await router.setWeights(wanted);
  return { found, wanted, applied: true };
}
