import type { JudgeSettings, StatisticalJudgeSettings, ThresholdJudgeSettings } from '../../src/config/sections/judges.js';

/**
 * The judge configurations the canary bench compares, one row each. All judge the canary against
 * the fresh baseline on the same windows; they differ in how much evidence one look needs
 * (confidence, limits) and in how many failed looks they tolerate (`failureLimit`).
 */
export interface BenchJudge {
  /** Row name, and what UF_BENCH_JUDGES selects. */
  name: string;
  settings: JudgeSettings;
  /** One line on what differs from the other rows, printed before the table. */
  note: string;
}

function mannWhitney(metric: string, direction: 'increase' | 'decrease', confidence: number): StatisticalJudgeSettings['metrics'][number] {
  return {
    metric,
    groups: ['default'],
    direction,
    tolerance: 0.25,
    confidence,
    effectSize: { measure: 'meanRatio', allowedIncrease: 1, allowedDecrease: 1, criticalIncrease: 1, criticalDecrease: 1 },
    critical: false,
    mustHaveData: false,
    nan: 'remove',
  };
}

/** Mann-Whitney on per-request latencies, per-second error ratios and per-second conversion ratios; Kayenta's scorer (one metric of three failing scores 66.7: fail). */
function statistical(confidence: number, failureLimit: number): StatisticalJudgeSettings {
  return {
    kind: 'statistical',
    metrics: [mannWhitney('latency', 'increase', confidence), mannWhitney('error_rate', 'increase', confidence), mannWhitney('conversion', 'decrease', confidence)],
    groupWeights: {},
    scoreThresholds: { pass: 95, marginal: 75 },
    failureLimit,
  };
}

/** p95 canary <= baseline x 1.2; error rate <= 1.5% absolute (old 0.5% + 1 pp); conversion >= baseline x 0.7. */
function threshold(failureLimit: number): ThresholdJudgeSettings {
  return {
    kind: 'threshold',
    checks: [
      { metric: 'latency', aggregate: 'p95', maxRatio: 1.2 },
      { metric: 'error_rate', aggregate: 'value', max: 0.015, minSamples: 500 },
      { metric: 'conversion', aggregate: 'value', minRatio: 0.7, minSamples: 500 },
    ],
    minSamples: 300,
    failureLimit,
  };
}

export const benchJudges: readonly BenchJudge[] = [
  { name: 'stat-0.95', settings: statistical(0.95, 0), note: "Kayenta's default confidence 0.95; the first failed look fails" },
  { name: 'stat-0.99', settings: statistical(0.99, 0), note: 'confidence 0.99; the first failed look fails (the previous setting)' },
  { name: 'stat-0.99-fl1', settings: statistical(0.99, 1), note: 'confidence 0.99, failureLimit 1: the second failed look fails' },
  { name: 'stat-0.999', settings: statistical(0.999, 0), note: 'confidence 0.999 per look (Bonferroni-style: 0.05% a tail x 3 metrics x ~10 disjoint windows = 1.5%); the first failed look fails' },
  { name: 'stat-0.999-fl1', settings: statistical(0.999, 1), note: 'confidence 0.999, failureLimit 1: the second failed look fails' },
  { name: 'threshold', settings: threshold(0), note: 'failureLimit 0: the first failed look fails' },
  { name: 'threshold-fl2', settings: threshold(2), note: 'failureLimit 2: the third failed look fails' },
];
