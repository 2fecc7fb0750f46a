/**
 * The standard normal distribution, to double precision, for the Mann-Whitney normal approximation:
 * `pnorm` from erf's everywhere-positive series (no cancellation) below 3 and erfc's continued
 * fraction above, `qnorm` by Newton steps on `pnorm` from a rational first guess.
 */

const sqrtPi = Math.sqrt(Math.PI);

/** erf(x) for 0 <= x <= 3: 2/sqrt(pi) * exp(-x^2) * sum 2^n x^(2n+1) / (1*3*...*(2n+1)). */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return ((2 / sqrtPi) * Math.exp(-x * x) * sum);
}

/** erfc(x) for x > 3, by the continued fraction evaluated from the tail. */
function erfcFraction(x: number): number {
  let fraction = 0;
  for (let k = 80; k >= 1; k--) fraction = k / 2 / (x + fraction);
  return Math.exp(-x * x) / sqrtPi / (x + fraction);
}

/** P(Z <= z) for a standard normal Z. */
export function pnorm(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const x = Math.abs(z) / Math.SQRT2;
  // upper = P(Z > |z|)
  const upper = x <= 3 ? (1 - erfSeries(x)) / 2 : erfcFraction(x) / 2;
  return z < 0 ? upper : 1 - upper;
}

/** P(Z > z), precise in the far upper tail. */
export function pnormUpper(z: number): number {
  return pnorm(-z);
}

/** The standard normal density. */
export function dnorm(z: number): number {
  return Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
}

/** The z with P(Z <= z) = p, for 0 < p < 1. */
export function qnorm(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  if (p > 0.5) return -qnorm(1 - p);
  // First guess (Abramowitz and Stegun 26.2.23, error below 4.5e-4), then Newton steps on the lower tail.
  const t = Math.sqrt(-2 * Math.log(p));
  let z = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let i = 0; i < 50; i++) {
    const step = (pnorm(z) - p) / dnorm(z);
    z -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}
