export type HaproxyServerRole = 'stable' | 'canary' | 'baseline';

export interface ServerWeightChange {
  server: HaproxyServerRole;
  weight: number;
}

/** Server weights by role; `baseline` only when the backend has a baseline server. */
export interface ServerWeights {
  stable: number;
  canary: number;
  baseline?: number;
}

/**
 * HAProxy weights for a canary (and baseline) percentage: canary p, baseline b, stable 100−p−b
 * (HAProxy allows 0..256), so the ratio is exact. A `baseline` target is only given for a backend
 * with a baseline server. HAProxy applies the `set server … weight` commands of one line one after
 * the other, so requests balanced between them see some weights old and others new. Raising
 * weights before lowering the others keeps every in-between total at least the smaller of the old
 * and the new total, so the servers are never all at weight 0 (which would answer 503); with two
 * servers the in-between share also lies between the old and the new share.
 */
export function planWeightChange(current: ServerWeights, target: number | { canary: number; baseline?: number }): ServerWeightChange[] {
  const wanted = typeof target === 'number' ? { canary: target } : target;
  const baseline = current.baseline === undefined ? undefined : (wanted.baseline ?? 0);
  const changes: ServerWeightChange[] = [
    { server: 'canary', weight: wanted.canary },
    ...(baseline === undefined ? [] : [{ server: 'baseline' as const, weight: baseline }]),
    { server: 'stable', weight: 100 - wanted.canary - (baseline ?? 0) },
  ];
  const raised = (change: ServerWeightChange) => change.weight > (current[change.server] ?? 0);
  return [...changes.filter(raised), ...changes.filter((change) => !raised(change))];
}
