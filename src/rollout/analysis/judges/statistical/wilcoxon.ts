import { pnorm, qnorm } from './normal.js';

/**
 * The two-sample Wilcoxon rank-sum (Mann-Whitney) test with R's normal approximation, as
 * `wilcox.test(x, y, conf.int = TRUE, exact = FALSE, correct = TRUE)` computes it: ranks with ties
 * averaged, the variance corrected for ties, a continuity correction of 1/2 towards zero, and the
 * confidence interval and Hodges-Lehmann estimate of the location shift `x - y` found by Brent's
 * root finder (R's `uniroot`, tolerance 1e-4) on the standardized statistic of `x - d` against `y`
 * over the range of pairwise differences. The estimate is the root of the uncorrected statistic.
 * Same inputs, same steps, same floating-point operations: the interval agrees with R's to the
 * digits R prints.
 */
export interface WilcoxonResult {
  /** R's `W`: the rank sum of `x` minus nx(nx+1)/2 (the Mann-Whitney U of `x`). */
  statistic: number;
  /** Two-sided p-value, normal approximation with continuity and tie correction. */
  pValue: number;
  /** Confidence interval of the location shift `x - y`. */
  ci: [number, number];
  /** Hodges-Lehmann estimate of the location shift `x - y`. */
  estimate: number;
}

/** R's tolerance for `uniroot` in `wilcox.test`. */
const rootTolerance = 1e-4;

/** Ranks with ties averaged (R's `rank(ties.method = "average")`) and the tie term sum(t^3 - t). */
export function averageRanks(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { ranks, tieTerm };
}

/**
 * U of `x - d` against `y`, centred: sum of x ranks - nx(nx+1)/2 - nx*ny/2, and its standard
 * deviation. `sortedX` and `sortedY` are the samples in ascending order; subtracting `d` keeps `x`
 * in order (rounding is monotone), so one merge ranks the combined sample with ties averaged, the
 * same values `averageRanks` gives, in O(nx + ny) instead of a sort per root-finder step.
 */
function centredStatistic(sortedX: readonly number[], sortedY: readonly number[], d: number): { dz: number; sigma: number } {
  const nx = sortedX.length;
  const ny = sortedY.length;
  let i = 0;
  let j = 0;
  let ranked = 0;
  let rankSum = 0;
  let tieTerm = 0;
  while (i < nx || j < ny) {
    const xValue = i < nx ? sortedX[i]! - d : Number.NaN;
    const yValue = j < ny ? sortedY[j]! : Number.NaN;
    const value = j >= ny || (i < nx && xValue <= yValue) ? xValue : yValue;
    let fromX = 0;
    while (i < nx && sortedX[i]! - d === value) {
      i++;
      fromX++;
    }
    let fromY = 0;
    while (j < ny && sortedY[j]! === value) {
      j++;
      fromY++;
    }
    const t = fromX + fromY;
    rankSum += fromX * ((ranked + 1 + ranked + t) / 2);
    tieTerm += t * t * t - t;
    ranked += t;
  }
  const dz = rankSum - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
  const sigma = Math.sqrt(((nx * ny) / 12) * (nx + ny + 1 - tieTerm / ((nx + ny) * (nx + ny - 1))));
  return { dz, sigma };
}

/**
 * Brent's root finder exactly as R's `R_zeroin2` (netlib zeroin with a maximum iteration count):
 * bisection combined with linear or inverse quadratic interpolation, keeping the root bracketed.
 */
export function zeroin(f: (x: number) => number, ax: number, bx: number, fax: number, fbx: number, tol: number, maxIterations = 1000): number {
  let a = ax;
  let b = bx;
  let fa = fax;
  let fb = fbx;
  let c = a;
  let fc = fa;
  if (fa === 0) return a;
  if (fb === 0) return b;
  for (let iteration = 0; iteration <= maxIterations; iteration++) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * Number.EPSILON * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= tolAct || fb === 0) return b;
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      const cb = c - b;
      let p: number;
      let q: number;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qa = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1));
        q = (qa - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((prevStep * q) / 2)) newStep = p / q;
    }
    if (Math.abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return b;
}

/**
 * Two-sided test and interval at `confidence` of the shift `x - y`. Both samples must be non-empty
 * and finite; when every observation is tied the statistic has no spread and the result is NaN
 * throughout (R stops with "cannot compute confidence interval when all observations are tied").
 */
export function wilcoxonRankSum(x: readonly number[], y: readonly number[], confidence: number): WilcoxonResult {
  if (x.length === 0 || y.length === 0) throw new RangeError('both samples need at least one observation');
  const nx = x.length;
  const ny = y.length;
  const sortedX = [...x].sort((a, b) => a - b);
  const sortedY = [...y].sort((a, b) => a - b);
  const at0 = centredStatistic(sortedX, sortedY, 0);
  const statistic = at0.dz + (nx * ny) / 2;
  if (at0.sigma === 0) return { statistic, pValue: Number.NaN, ci: [Number.NaN, Number.NaN], estimate: Number.NaN };
  const z0 = (at0.dz - Math.sign(at0.dz) * 0.5) / at0.sigma;
  const pValue = 2 * Math.min(pnorm(z0), pnorm(-z0));

  const standardized = (d: number, correct: boolean): number => {
    const { dz, sigma } = centredStatistic(sortedX, sortedY, d);
    return (dz - (correct ? Math.sign(dz) * 0.5 : 0)) / sigma;
  };
  const mumin = sortedX[0]! - sortedY[ny - 1]!;
  const mumax = sortedX[nx - 1]! - sortedY[0]!;
  const wMin = standardized(mumin, true);
  const wMax = standardized(mumax, true);
  const root = (zq: number): number => {
    const fLower = wMin - zq;
    if (fLower <= 0) return mumin;
    const fUpper = wMax - zq;
    if (fUpper >= 0) return mumax;
    return zeroin((d) => standardized(d, true) - zq, mumin, mumax, fLower, fUpper, rootTolerance);
  };
  const alpha = 1 - confidence;
  const ci: [number, number] = [root(qnorm(1 - alpha / 2)), root(qnorm(alpha / 2))];
  const estimate = zeroin((d) => standardized(d, false), mumin, mumax, standardized(mumin, false), standardized(mumax, false), rootTolerance);
  return { statistic, pValue, ci, estimate };
}
