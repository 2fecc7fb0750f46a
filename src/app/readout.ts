import { basename } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { Clock } from '../core/clock.js';
import { periodReadout } from '../readout/build-period.js';
import { upgradeReadout } from '../readout/build-upgrade.js';
import { calibrationReport } from '../readout/calibration-gather.js';
import type { ReadoutContext } from '../readout/context.js';
import { parsePeriod, type Period } from '../core/period.js';
import { renderHtml } from '../readout/render/html.js';
import { renderMarkdown } from '../readout/render/markdown.js';
import type { BaselineMetric, BaselineMetricKind, DoraPoint, ReadoutSources } from '../readout/sources.js';
import { baselineComparison } from '../verify/baselines/index.js';
import { doraReport } from '../verify/dora/load.js';
import { listIncidents } from '../verify/incidents/store.js';
import type { Readout } from '../readout/types.js';
import type { Store } from '../store/open.js';

export const readoutFormats = ['md', 'html', 'pdf'] as const;
export type ReadoutFormat = (typeof readoutFormats)[number];

/**
 * The verification stage's figures the readout shows: baselines, incidents and DORA from verify/.
 * A source left out here makes the section it feeds say which source is missing.
 */
export function readoutSources(store: Store): ReadoutSources {
  return {
    async baselines(upgradeId) {
      const comparison = await baselineComparison(store.db, upgradeId);
      const metrics: BaselineMetric[] = [];
      for (const m of comparison.metrics) {
        if (m.before.median === null || m.after.median === null) continue;
        const kind = metricKind(m.metric);
        metrics.push({ service: m.service, metric: m.metric, kind, unit: '', before: m.before.median, after: m.after.median, higherIsBetter: kind === 'throughput' || kind === 'kpi', verdict: m.classification });
      }
      if (comparison.rolloutId === null || metrics.length === 0) return undefined;
      return { source: `before/after medians of rollout ${comparison.rolloutId}'s verification (judged ${comparison.metrics[0]!.judgedAt.slice(0, 10)})`, metrics };
    },
    async incidents(query) {
      const counts = [];
      for (const service of query.services) {
        const within = async (range: { from: string; to: string }) => (await listIncidents(store.db, { service, from: range.from, to: range.to })).length;
        counts.push({ service, before: await within(query.before), after: await within(query.after), source: 'incidents in the store (uf incidents import, PagerDuty/Opsgenie webhooks)' });
      }
      return counts;
    },
    async dora(query) {
      const points: DoraPoint[] = [];
      for (const bucket of buckets(query.period, query.bucket)) {
        const report = await doraReport(store, { from: bucket.from, to: bucket.to });
        points.push({
          label: bucket.label,
          deploymentsPerWeek: report.deploymentFrequency.perWeek,
          ...(report.changeLeadTime.medianHours !== null ? { leadTimeHours: report.changeLeadTime.medianHours } : {}),
          ...(report.changeFailRate.value !== null ? { changeFailRate: report.changeFailRate.value } : {}),
          ...(report.failedDeploymentRecoveryTime.medianHours !== null ? { recoveryHours: report.failedDeploymentRecoveryTime.medianHours } : {}),
          ...(report.deploymentReworkRate.value !== null ? { reworkRate: report.deploymentReworkRate.value } : {}),
        });
      }
      return { source: 'uf dora: deployments, rollbacks and incidents in the store', points };
    },
  };
}

/**
 * What a verification metric measures, from its name as factory.yaml spells it: latency (p95,
 * latency, duration), errors (error, fail), throughput (throughput, rps, requests), efficiency (cpu,
 * memory); anything else is a business KPI, where higher is better.
 */
export function metricKind(name: string): BaselineMetricKind {
  const n = name.toLowerCase();
  if (/(^|[^a-z])p\d{2}|latency|duration/.test(n)) return 'latency';
  if (/error|fail/.test(n)) return 'errors';
  if (/cpu|mem/.test(n)) return 'efficiency';
  if (/throughput|rps|requests/.test(n)) return 'throughput';
  return 'kpi';
}

/** The period cut into calendar months, or into 7-day weeks from its start; the last one ends with the period. */
function buckets(period: { from: string; to: string }, size: 'week' | 'month'): { label: string; from: string; to: string }[] {
  const end = Date.parse(period.to);
  const out: { label: string; from: string; to: string }[] = [];
  let start = Date.parse(period.from);
  while (start < end && out.length < 120) {
    const at = new Date(start);
    const next = size === 'month' ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) : start + 7 * 86_400_000;
    const stop = Math.min(next, end);
    out.push({ label: size === 'month' ? at.toISOString().slice(0, 7) : at.toISOString().slice(0, 10), from: at.toISOString(), to: new Date(stop).toISOString() });
    start = stop;
  }
  return out;
}

export function readoutContext(parts: { store: Store; loaded: LoadedConfig; clock: Clock }, sources: ReadoutSources = readoutSources(parts.store)): ReadoutContext {
  const { config } = parts.loaded;
  return {
    db: parts.store.db,
    economics: config.economics,
    risk: config.risk,
    policySource: parts.loaded.file ? basename(parts.loaded.file) : 'the built-in defaults',
    sources,
    now: parts.clock.now(),
  };
}

/** One readout: of an upgrade (by id), or of a period (`2026-Q4`, `2026-11`, a date range). */
export async function buildReadout(context: ReadoutContext, target: { upgradeId: string } | { period: string | Period }): Promise<Readout> {
  if ('upgradeId' in target) return upgradeReadout(context, target.upgradeId);
  const period = typeof target.period === 'string' ? parsePeriod(target.period) : target.period;
  return periodReadout(context, period);
}

/** Markdown or HTML text of a readout (PDF goes through `renderPdf` with a browser). */
export function readoutText(readout: Readout, format: 'md' | 'html'): string {
  return format === 'md' ? renderMarkdown(readout) : renderHtml(readout);
}

export async function riskCalibration(context: ReadoutContext, period: string | undefined) {
  return calibrationReport({ db: context.db, risk: context.risk, sources: context.sources, windowDays: context.economics.comparisonWindowDays }, period === undefined ? undefined : parsePeriod(period, '--period'));
}
