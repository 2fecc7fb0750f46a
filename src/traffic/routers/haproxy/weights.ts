export interface ServerWeightChange {
  server: 'stable' | 'canary';
  weight: number;
}

/**
 * HAProxy weights for a canary percentage: stable 100−p, canary p (HAProxy allows 0..256), so the
 * ratio is exact. HAProxy applies the two `set server … weight` commands one after the other, so
 * requests balanced between them see one weight old and the other new. Raising a weight before
 * lowering the other keeps that in-between share between the old and the new share, and never
 * leaves both servers at weight 0 (which would answer 503).
 */
export function planWeightChange(current: { stable: number; canary: number }, canary: number): ServerWeightChange[] {
  const target = { stable: 100 - canary, canary };
  const canaryFirst = target.canary > current.canary;
  const changes: ServerWeightChange[] = [
    { server: 'canary', weight: target.canary },
    { server: 'stable', weight: target.stable },
  ];
  return canaryFirst ? changes : changes.reverse();
}
