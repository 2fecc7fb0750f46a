/**
 * A small seeded pseudo-random generator for the canary bench: mulberry32 (32-bit state, period
 * 2^32), plus the draws the traffic simulation needs. Same seed, same sequence, on every machine.
 */
export interface Rng {
  /** A uniform draw in [0, 1). */
  next(): number;
}

/** mulberry32 by Tommy Ettinger: fast, and good enough for a simulation (not for cryptography). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** A standard normal draw (Box-Muller; one of the pair is used, which keeps the state simple). */
export function normal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log(u) is finite
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A log-normal draw with the given median (e^mu) and sigma of the underlying normal. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** True with probability p. */
export function bernoulli(rng: Rng, p: number): boolean {
  return rng.next() < p;
}
