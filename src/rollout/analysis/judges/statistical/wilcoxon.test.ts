import { describe, expect, it } from 'vitest';
import { pnorm, qnorm } from './normal.js';
import { averageRanks, wilcoxonRankSum } from './wilcoxon.js';

// Reference values: R's printed output of `wilcox.test(x, y)` (normal approximation with
// continuity correction, because of ties) as published in R tutorials, Kayenta's own tie-out
// against R, and p-values cross-checked with scipy.stats.mannwhitneyu(method="asymptotic").
describe('wilcoxonRankSum (R wilcox.test, exact = FALSE, correct = TRUE)', () => {
  const tutorialX = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];

  it('matches R: W = 51.5, p-value = 0.5966 for samples with ties', () => {
    const result = wilcoxonRankSum(tutorialX, [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5], 0.95);
    expect(result.statistic).toBe(51.5);
    expect(result.pValue).toBeCloseTo(0.5966, 4);
    expect(result.pValue).toBeCloseTo(0.5965969026279817, 12); // scipy
  });

  it('matches R: W = 0, p-value = 0.001364 when every canary value is below the baseline', () => {
    const result = wilcoxonRankSum(tutorialX, [1233, 4356, 987, 39999, 1111, 200000], 0.95);
    expect(result.statistic).toBe(0);
    expect(result.pValue).toBeCloseTo(0.001364, 6);
  });

  it("matches Kayenta's tie-out with R: interval (6, 39) and estimate 22.5", () => {
    const result = wilcoxonRankSum([10, 20, 30, 40], [1, 2, 3, 4], 0.95);
    expect(result.ci[0]).toBeCloseTo(6, 6);
    expect(result.ci[1]).toBeCloseTo(39, 6);
    expect(result.estimate).toBeCloseTo(22.5, 6);
    expect(result.statistic).toBe(16);
  });

  it("R's documentation example (Hollander & Wolfe permeability): W = 35, p from the corrected normal approximation", () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = wilcoxonRankSum(x, y, 0.95);
    expect(result.statistic).toBe(35);
    // z = (35 - 25 - 0.5) / sqrt(10 * 5 / 12 * 16) = 1.16350; two-sided p = 0.24462 (scipy agrees)
    expect(result.pValue).toBeCloseTo(0.24462360512698333, 12);
    // The interval's ends are jumps of the rank statistic, i.e. pairwise differences x_i - y_j,
    // found to uniroot's tolerance of 1e-4: -0.15 (= 0.73 - 0.88) and 0.76 (= 1.64 - 0.88).
    expect(result.ci[0]).toBeCloseTo(-0.15, 3);
    expect(result.ci[1]).toBeCloseTo(0.76, 3);
    expect(result.estimate).toBeGreaterThan(result.ci[0]);
    expect(result.estimate).toBeLessThan(result.ci[1]);
  });

  it("R's depression data (as two independent samples): W = 58 and scipy's p-value", () => {
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const result = wilcoxonRankSum(x, y, 0.95);
    expect(result.statistic).toBe(58);
    expect(result.pValue).toBeCloseTo(0.13291945818531892, 12);
    const differences = x.flatMap((a) => y.map((b) => a - b));
    for (const end of result.ci) expect(Math.min(...differences.map((d) => Math.abs(d - end)))).toBeLessThan(1e-4);
  });

  it('is deterministic and antisymmetric: swapping the samples negates the interval', () => {
    const x = [3.1, 2.7, 4.4, 5.0, 3.9, 4.1, 2.2];
    const y = [2.0, 2.5, 1.9, 3.3, 2.8, 2.1];
    const forward = wilcoxonRankSum(x, y, 0.9);
    expect(wilcoxonRankSum(x, y, 0.9)).toEqual(forward);
    const backward = wilcoxonRankSum(y, x, 0.9);
    expect(backward.ci[0]).toBeCloseTo(-forward.ci[1], 3);
    expect(backward.ci[1]).toBeCloseTo(-forward.ci[0], 3);
  });

  it('ranks by merging the sorted samples exactly as averageRanks ranks the combined sample, ties and shifts included', () => {
    // Per-second error ratios: mostly 0, many ties; the shift d is applied as the root finder does.
    let state = 7;
    const next = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const ratio = (): number => (next() < 0.8 ? 0 : Math.floor(next() * 3) / (1 + Math.floor(next() * 12)));
    for (let round = 0; round < 40; round++) {
      const x = Array.from({ length: 1 + Math.floor(next() * 60) }, ratio);
      const y = Array.from({ length: 1 + Math.floor(next() * 60) }, ratio);
      const { ranks, tieTerm } = averageRanks([...x, ...y]);
      const rankSum = x.reduce((sum, _, i) => sum + ranks[i]!, 0);
      const result = wilcoxonRankSum(x, y, 0.95);
      expect(result.statistic).toBe(rankSum - (x.length * (x.length + 1)) / 2);
      const nx = x.length;
      const ny = y.length;
      const dz = result.statistic - (nx * ny) / 2;
      const sigma = Math.sqrt(((nx * ny) / 12) * (nx + ny + 1 - tieTerm / ((nx + ny) * (nx + ny - 1))));
      if (sigma === 0) continue;
      const z = (dz - Math.sign(dz) * 0.5) / sigma;
      expect(result.pValue).toBe(2 * Math.min(pnorm(z), pnorm(-z)));
    }
  });

  it('returns NaN statistics when every observation is tied (R stops there)', () => {
    const result = wilcoxonRankSum([2, 2, 2], [2, 2], 0.95);
    expect(result.pValue).toBeNaN();
    expect(result.ci[0]).toBeNaN();
  });
});

describe('averageRanks', () => {
  it('averages tied ranks and sums t^3 - t over ties', () => {
    expect(averageRanks([10, 20, 10, 30, 20, 20])).toEqual({ ranks: [1.5, 4, 1.5, 6, 4, 4], tieTerm: 6 + 24 });
  });
});

describe('normal distribution', () => {
  it('agrees with R to 14 digits', () => {
    expect(qnorm(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(qnorm(0.01)).toBeCloseTo(-2.326347874040841, 13);
    expect(pnorm(1.96)).toBeCloseTo(0.9750021048517795, 15);
    expect(pnorm(-5) / 2.866515718791939e-7).toBeCloseTo(1, 12);
  });
});
