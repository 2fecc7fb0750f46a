import type { Variant } from './types.js';

/** Buckets per 100 %: a weight has a resolution of 0.01 percentage point. */
export const bucketCount = 10_000;

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

/**
 * A stable 32-bit hash of a string: FNV-1a over its UTF-16 code units, then the murmur3 finaliser
 * so that similar keys (`user-1`, `user-2`) spread over all buckets. Changing this function moves
 * users between versions mid-rollout, so it must never change. `seed` (a hash of a salt, see
 * `seedOf`) gives each rollout its own draw of canary users.
 */
export function hashKey(key: string, seed: number = fnvOffset): number {
  let hash = seed;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, fnvPrime);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The seed for `hashKey` that a salt stands for; the empty salt is the plain FNV offset. */
export function seedOf(salt: string): number {
  return salt === '' ? fnvOffset : hashKey(salt);
}

/** The key's bucket, 0..9999. */
export function bucketOf(key: string, seed?: number): number {
  return hashKey(key, seed) % bucketCount;
}

/** The bucket threshold for a weight in percent: buckets below it go to the canary. */
export function thresholdOf(canaryWeight: number): number {
  return Math.min(bucketCount, Math.max(0, Math.round(canaryWeight * (bucketCount / 100))));
}

/**
 * The first bucket of the baseline for a weight in percent: the baseline takes the buckets from
 * here to the top. Never below the canary's threshold, so the two ranges never overlap (rounding
 * of fractional weights that add up to 100 could otherwise make them share one bucket).
 */
export function baselineStartOf(baselineWeight: number, canaryThreshold = 0): number {
  return Math.max(canaryThreshold, bucketCount - thresholdOf(baselineWeight));
}

/**
 * The bucket layout of the three versions. The canary grows from the bottom of the bucket space,
 * the baseline from the top, and stable holds what lies between:
 *
 *     0 ── canary ──▶ c        stable        b ◀── baseline ── 10000
 *
 * Growing either one takes buckets from stable only, never from the other, so assignment stays
 * monotone for both: a user in the canary at 5 % is still in it at 25 % whatever the baseline
 * does, and a user in the baseline at 5 % is still in it at 25 % whatever the canary does. (Laying
 * the baseline right above the canary, [c, c + b), would move users from the baseline to the
 * canary on every canary step, and both arms would then be measured on a shifting population.)
 */
export function assignWeightedVariant(key: string, weights: { canary: number; baseline?: number }, seed?: number): Variant {
  const bucket = bucketOf(key, seed);
  const threshold = thresholdOf(weights.canary);
  if (bucket < threshold) return 'canary';
  return bucket >= baselineStartOf(weights.baseline ?? 0, threshold) ? 'baseline' : 'stable';
}

/**
 * Which version a key goes to at a canary weight (percent, 0..100). Monotone by construction: the
 * canary takes the buckets below a threshold that only grows with the weight, so a user in the
 * canary at 5 % is still in it at 25 %, and a user on stable at 25 % was on stable at 5 %.
 */
export function assignVariant(key: string, canaryWeight: number, seed?: number): Variant {
  return bucketOf(key, seed) < thresholdOf(canaryWeight) ? 'canary' : 'stable';
}
