import type { DoraPoint, DoraTrend } from '../sources.js';
import type { UpgradeReadout } from '../types.js';
import { beforeAfterBars, lineChart, type LineSeries } from './charts.js';

/** A chart, or the sentence that stands in its place when its data is missing. */
export type ChartOrMissing = { svg: string } | { missing: string };

/** Risk score over time: each assessment, then the score after once it is known. */
export function riskOverTime(readouts: readonly UpgradeReadout[]): ChartOrMissing {
  const series: LineSeries[] = readouts
    .map((r) => {
      const points = r.riskReduced.history.map((h) => ({ x: Date.parse(h.at), y: h.score }));
      const after = r.riskReduced.after;
      if (after && r.upgrade.completedAt) points.push({ x: Date.parse(r.upgrade.completedAt), y: after.score });
      return { name: readouts.length === 1 ? 'risk score' : r.upgrade.name, points };
    })
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return { missing: 'Risk over time: no risk assessment is stored.' };
  return { svg: lineChart({ title: 'Risk over time', xLabel: 'date (UTC)', yLabel: 'risk score (0–100)', yMax: 100, series }) };
}

/** p95 latency before and after, per service, from the baseline comparisons. */
export function p95BeforeAfter(readouts: readonly UpgradeReadout[]): ChartOrMissing {
  const pairs = readouts.flatMap((r) =>
    (r.businessMetrics.baselines?.metrics ?? [])
      .filter((m) => /p95/i.test(m.metric))
      .map((m) => ({ label: readouts.length === 1 ? m.service : `${m.service} (${r.upgrade.name})`, before: m.before, after: m.after, unit: m.unit })),
  );
  if (pairs.length === 0) {
    const why = readouts.flatMap((r) => r.businessMetrics.missing).find((m) => m.startsWith('KPI'));
    return { missing: `p95 before/after: ${why ?? 'the baseline comparisons hold no p95 figure'}.` };
  }
  return { svg: beforeAfterBars({ title: 'p95 latency before and after', xLabel: 'service', yLabel: `p95 (${pairs[0]!.unit})`, pairs }) };
}

const doraLines: { key: keyof Omit<DoraPoint, 'label'>; title: string; unit: string; scale: number }[] = [
  { key: 'deploymentsPerWeek', title: 'Deployment frequency', unit: 'deployments per week', scale: 1 },
  { key: 'leadTimeHours', title: 'Change lead time', unit: 'hours', scale: 1 },
  { key: 'changeFailRate', title: 'Change fail rate', unit: '%', scale: 100 },
  { key: 'recoveryHours', title: 'Failed deployment recovery time', unit: 'hours', scale: 1 },
  { key: 'reworkRate', title: 'Deployment rework rate', unit: '%', scale: 100 },
];

/** One trend line per DORA metric that has figures, buckets in order along the x axis. */
export function doraTrend(dora: DoraTrend | undefined, missing: string): ChartOrMissing[] {
  if (!dora || dora.points.length === 0) return [{ missing: `DORA trend: ${dora ? `${dora.source} has no figures for the period` : missing}.` }];
  const labels = dora.points.map((p) => p.label);
  return doraLines.flatMap(({ key, title, unit, scale }) => {
    const points = dora.points.flatMap((p, index) => (p[key] === undefined ? [] : [{ x: index, y: (p[key] as number) * scale }]));
    if (points.length === 0) return [];
    return [{ svg: lineChart({ title: `${title} (DORA)`, xLabel: 'period', yLabel: unit, series: [{ name: title, points }], xFormat: (x) => labels[Math.round(x)] ?? '' }) }];
  });
}
