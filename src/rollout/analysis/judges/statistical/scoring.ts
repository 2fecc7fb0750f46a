import type { Classification } from './classifier.js';

/**
 * Kayenta's weighted-sum scorer and score classifier, same rules, our code:
 *
 * - A group's score is the percentage of its metrics that passed, out of those classified pass,
 *   high, low or nodata_fail (`nodata` metrics do not count). A group with none of those has no
 *   data and counts as 100 in the summary.
 * - Groups with a weight use it (percent); the others share what is left of 100 equally.
 * - A critical failure (a metric flagged critical whose classification is not pass) scores 0.
 * - Half the metrics or more with `nodata`: the score is 0.
 * - The summary is rounded to two decimals, then: at or above `pass` passes, at or above
 *   `marginal` is marginal, below fails.
 */
export interface ScoredMetric {
  metric: string;
  groups: readonly string[];
  classification: Classification;
  critical: boolean;
  reason: string;
}

export interface GroupScore {
  group: string;
  score: number;
  noData: boolean;
}

export type ScoreClass = 'pass' | 'marginal' | 'fail';

export interface ScoreResult {
  score: number;
  groups: GroupScore[];
  /** Why the score was forced to 0, when it was. */
  zeroedBy?: { rule: 'critical'; metric: string; reason: string } | { rule: 'nodata'; nodata: number; total: number };
}

/** Kayenta's rule: this percentage or more of the metrics without data scores 0. */
export const nodataThresholdPercent = 50;

function groupScore(group: string, labels: readonly Classification[]): GroupScore {
  const counted = labels.filter((label) => label !== 'nodata');
  if (counted.length === 0) return { group, score: 0, noData: true };
  const passed = counted.filter((label) => label === 'pass').length;
  return { group, score: (passed / counted.length) * 100, noData: false };
}

export function scoreMetrics(metrics: readonly ScoredMetric[], groupWeights: Readonly<Record<string, number>>): ScoreResult {
  const labelsByGroup = new Map<string, Classification[]>();
  for (const metric of metrics) {
    for (const group of metric.groups) {
      const labels = labelsByGroup.get(group) ?? [];
      labels.push(metric.classification);
      labelsByGroup.set(group, labels);
    }
  }
  const groups = [...labelsByGroup].map(([group, labels]) => groupScore(group, labels));

  const criticalFailure = metrics.find((metric) => metric.critical && metric.classification !== 'pass');
  if (criticalFailure) return { score: 0, groups, zeroedBy: { rule: 'critical', metric: criticalFailure.metric, reason: criticalFailure.reason } };

  const nodata = metrics.filter((metric) => metric.classification === 'nodata').length;
  if (metrics.length === 0 || (nodata / metrics.length) * 100 >= nodataThresholdPercent) {
    return { score: 0, groups, zeroedBy: { rule: 'nodata', nodata, total: metrics.length } };
  }

  const weighted = Object.values(groupWeights).reduce((sum, weight) => sum + weight, 0);
  const unweighted = groups.filter((group) => !(group.group in groupWeights));
  const shareOfRest = unweighted.length > 0 ? (100 - weighted) / unweighted.length : 0;
  let summary = 0;
  for (const group of groups) {
    const weight = groupWeights[group.group] ?? shareOfRest;
    summary += (group.noData ? 100 : group.score) * (weight / 100);
  }
  return { score: Math.round(summary * 100) / 100, groups };
}

export function classifyScore(score: number, thresholds: { pass: number; marginal: number }): ScoreClass {
  if (score >= thresholds.pass) return 'pass';
  if (score >= thresholds.marginal) return 'marginal';
  return 'fail';
}
