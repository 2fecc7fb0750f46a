import { Bars, LineChart, type Series } from '../../components/chart';
import { day, number } from './format';
import type { DoraPoint, UpgradeReadout } from './types';

/** The HTML readout's charts (src/readout/render/readout-charts.ts), drawn with the dashboard's own SVG charts. */

/** Risk score over time: each assessment, then the score after once it is known. */
export function RiskOverTime({ readouts }: { readouts: UpgradeReadout[] }) {
  const series: Series[] = readouts
    .map((r) => {
      const points = r.riskReduced.history.map((h) => ({ x: Date.parse(h.at), y: h.score }));
      if (r.riskReduced.after && r.upgrade.completedAt) points.push({ x: Date.parse(r.upgrade.completedAt), y: r.riskReduced.after.score });
      return { name: readouts.length === 1 ? 'risk score' : r.upgrade.name, points, tone: 'other' as const };
    })
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return <p className="missing">Risk over time: no risk assessment is stored.</p>;
  // A single assessment draws no line: the scores are said in words instead of an empty frame.
  if (series.every((s) => s.points.length < 2)) {
    return (
      <p>
        <strong>Risk over time (score 0–100)</strong>: one assessment so far,{' '}
        {series.map((s) => `${readouts.length === 1 ? '' : `${s.name} `}${s.points[0]!.y} on ${day(new Date(s.points[0]!.x).toISOString())}`).join('; ')}.
      </p>
    );
  }
  return <LineChart title="Risk over time (score 0–100)" series={series} xLabel={(x) => day(new Date(x).toISOString())} />;
}

/** p95 latency before and after, per service, from the baseline comparisons. */
export function P95BeforeAfter({ readouts }: { readouts: UpgradeReadout[] }) {
  const pairs = readouts.flatMap((r) =>
    (r.businessMetrics.baselines?.metrics ?? [])
      .filter((m) => /p95/i.test(m.metric))
      .map((m) => ({ label: readouts.length === 1 ? m.service : `${m.service} (${r.upgrade.name})`, before: m.before, after: m.after, unit: m.unit })),
  );
  if (pairs.length === 0) {
    const why = readouts.flatMap((r) => r.businessMetrics.missing).find((m) => m.startsWith('KPI'));
    return <p className="missing">p95 before/after: {why ?? 'the baseline comparisons hold no p95 figure'}.</p>;
  }
  const unit = pairs[0]!.unit;
  return (
    <Bars
      title={`p95 latency before and after (${unit})`}
      unit={` ${unit}`}
      rows={pairs.flatMap((p) => [
        { label: `${p.label}, before`, value: p.before },
        { label: `${p.label}, after`, value: p.after },
      ])}
    />
  );
}

export const doraLines: { key: keyof Omit<DoraPoint, 'label'>; title: string; unit: string; scale: number }[] = [
  { key: 'deploymentsPerWeek', title: 'Deployment frequency', unit: 'deployments per week', scale: 1 },
  { key: 'leadTimeHours', title: 'Change lead time', unit: 'hours, median', scale: 1 },
  { key: 'changeFailRate', title: 'Change fail rate', unit: '%', scale: 100 },
  { key: 'recoveryHours', title: 'Failed deployment recovery time', unit: 'hours, median', scale: 1 },
  { key: 'reworkRate', title: 'Deployment rework rate', unit: '%', scale: 100 },
];

/** One line chart per DORA metric that has figures, buckets in order along the x axis. */
export function DoraCharts({ points, caption }: { points: DoraPoint[]; caption?: string }) {
  const labels = points.map((p) => p.label);
  const charts = doraLines.flatMap(({ key, title, unit, scale }) => {
    const line = points.flatMap((p, index) => (p[key] === undefined ? [] : [{ x: index, y: (p[key] as number) * scale }]));
    const name = `${title} (${unit}${caption ? `, ${caption}` : ''})`;
    if (line.length === 0) return [<p key={key} className="missing">{title}: no figures in these periods.</p>];
    // One point draws no line: say the figure instead of showing an empty frame.
    if (line.length === 1) return [<p key={key}><strong>{name}</strong>: {number(line[0]!.y)} in {labels[line[0]!.x]}, the only period with figures.</p>];
    // The unit is in the title: the chart's axis labels have room for a number only.
    return [<LineChart key={key} title={name} series={[{ name: title, points: line, tone: 'baseline' }]} xLabel={(x) => labels[Math.round(x)] ?? ''} />];
  });
  return <div className="grid dora-charts">{charts}</div>;
}
