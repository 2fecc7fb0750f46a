/**
 * Exact binomial bounds for the canary bench: with 200 A/A runs a false-rollback rate of 1% is
 * two runs, so the figure alone says little; the bench prints the Clopper-Pearson interval's
 * upper end beside it.
 */

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

/** P(X <= k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, sum);
}

/**
 * The upper end of the two-sided Clopper-Pearson interval for `k` events in `n` trials at
 * `confidence` (0.95: the p with P(X <= k) = 2.5%), by bisection.
 */
export function binomialUpperBound(k: number, n: number, confidence = 0.95): number {
  if (k >= n) return 1;
  const tail = (1 - confidence) / 2;
  let low = k / n;
  let high = 1;
  for (let i = 0; i < 60; i++) {
    const middle = (low + high) / 2;
    if (binomialCdf(k, n, middle) > tail) low = middle;
    else high = middle;
  }
  return high;
}

/** P(X >= k) for X ~ Poisson(mean). */
export function poissonTail(mean: number, k: number): number {
  let term = Math.exp(-mean);
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= mean / (i + 1);
  }
  return Math.max(0, 1 - below);
}
