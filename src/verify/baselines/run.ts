import type { AnalysisMetricSetting } from '../../config/sections/rollout.js';
import type { MetricSource } from '../../config/sections/metrics.js';
import { UfError } from '../../core/errors.js';
import { builtinMaxWindowSeconds } from '../../rollout/analysis/providers/builtin/index.js';
import type { MeasurementResult, MetricWindow, Variant, Verdict } from '../../rollout/analysis/types.js';
import { beforeAfterCheck, type Action, type RolloutState } from '../../rollout/engine/index.js';
import { figuresOf } from './figures.js';
import { samplesOf, storeSamples, storeSummaries, type SampleOwner, type StoredSample } from './store.js';
import type { BaselineDeps, BaselineSummary } from './types.js';

type CaptureAction = Extract<Action, { kind: 'capture-baseline' }>;
type VerificationAction = Extract<Action, { kind: 'run-verification' }>;

const builtinReachMs = builtinMaxWindowSeconds * 1000;

/**
 * The window a source can answer for: the built-in router keeps only its last 60 s and summarises
 * windows that end now, so its before-window is the minute before the rollout started and each
 * after-slice the last minute (at most) of that slice. Other sources answer the window asked.
 */
function windowFor(source: MetricSource, wanted: MetricWindow, now: Date): MetricWindow {
  if (source.kind !== 'builtin') return wanted;
  return { start: new Date(Math.max(Date.parse(wanted.start), now.getTime() - builtinReachMs)).toISOString(), end: now.toISOString() };
}

/** The built-in router's request count becomes a rate (requests a second): windows of different lengths compare. */
function normalised(result: MeasurementResult, source: MetricSource, window: MetricWindow): MeasurementResult {
  if (!result.ok || source.kind !== 'builtin' || source.stat !== 'requests') return result;
  const seconds = Math.max(1, (Date.parse(window.end) - Date.parse(window.start)) / 1000);
  const m = result.measurement;
  return { ok: true, measurement: { ...m, samples: m.samples.map((n) => n / seconds), ...(m.value === undefined ? {} : { value: m.value / seconds }) } };
}

async function measureAll(deps: BaselineDeps, owner: SampleOwner, actionId: string, phase: 'before' | 'after', metrics: readonly AnalysisMetricSetting[], wanted: MetricWindow): Promise<StoredSample[]> {
  const already = new Set((await samplesOf(deps.db, owner.rolloutId, phase)).filter((s) => s.actionId === actionId).map((s) => s.metric));
  const now = deps.clock.now();
  const variant: Variant = phase === 'before' ? 'stable' : 'canary';
  const measured = await Promise.all(
    metrics
      .filter((m) => !already.has(m.name))
      .map(async (m) => {
        const window = windowFor(m.source, wanted, now);
        const result = normalised(await deps.measure({ metric: m.name, service: owner.service, variant, window, settings: m.source }), m.source, window);
        return { actionId, phase, metric: m.name, window, result } satisfies StoredSample;
      }),
  );
  await storeSamples(deps.db, owner, measured, now);
  return measured;
}

function ownerOf(state: RolloutState): SampleOwner {
  return { rolloutId: state.rolloutId, upgradeId: state.upgradeId, service: state.service };
}

/**
 * The capture-baseline action's runner: every before/after metric measured over the before-window
 * (the stable version, before traffic moved) and stored. Never rejects for a source that could not
 * measure: that metric is named among the errors, and its comparison will have no data.
 */
export function baselineCapturer(deps: BaselineDeps) {
  return async (action: CaptureAction, state: RolloutState): Promise<{ captured: string[]; errors: string[] }> => {
    const metrics = state.verification?.policy.baseline?.metrics ?? [];
    await measureAll(deps, ownerOf(state), action.id, 'before', metrics, action.window);
    const stored = (await samplesOf(deps.db, state.rolloutId, 'before')).filter((s) => s.actionId === action.id);
    const captured: string[] = [];
    const errors: string[] = [];
    for (const s of stored) {
      if (!s.result.ok) errors.push(`${s.metric}: ${s.result.error.reason}`);
      else if (s.result.measurement.samples.length === 0) errors.push(`${s.metric}: no data in ${s.window.start} .. ${s.window.end}`);
      else captured.push(s.metric);
    }
    return { captured, errors };
  };
}

/** One side of one metric, every stored slice merged: samples together, their events added up. */
function merged(rows: readonly StoredSample[], metric: string, variant: Variant, window: MetricWindow): MeasurementResult {
  const own = rows.filter((r) => r.metric === metric);
  const ok = own.flatMap((r) => (r.result.ok ? [r.result.measurement] : []));
  const failed = own.flatMap((r) => (r.result.ok ? [] : [r.result.error]));
  if (ok.length === 0 && failed.length > 0) return { ok: false, error: { ...failed.at(-1)!, variant } };
  const samples = ok.flatMap((m) => m.samples);
  const counted = ok.every((m) => m.count !== undefined);
  const covered = ok.length > 0 ? { start: ok[0]!.window.start, end: ok.at(-1)!.window.end } : window;
  return {
    ok: true,
    measurement: { metric, variant, window: covered, samples, ...(counted ? { count: ok.reduce((sum, m) => sum + (m.count ?? 0), 0) } : {}), source: ok[0]?.source ?? { provider: 'none' } },
  };
}

/**
 * The before/after check of a run-verification action: this slice of the window measured on the
 * new version and stored, then every slice since the window's start judged against the
 * before-window (as the reference variant) by the policy's judge; the per-metric figures of both
 * sides are stored for the readout. A re-run after a crash measures nothing already stored.
 */
export function beforeAfterJudge(deps: BaselineDeps) {
  return async (action: VerificationAction, state: RolloutState): Promise<Verdict> => {
    const policy = state.verification?.policy.baseline;
    if (!policy) throw new UfError('not_found', `rollout ${state.rolloutId} has no before/after metrics in its verification policy`, { record: state.rolloutId });
    const owner = ownerOf(state);
    await measureAll(deps, owner, action.id, 'after', policy.metrics, action.window);
    const before = await samplesOf(deps.db, state.rolloutId, 'before');
    const after = await samplesOf(deps.db, state.rolloutId, 'after', action.since);
    const window = { start: action.since, end: action.window.end };
    const results = policy.metrics.flatMap((m) => [merged(before, m.name, 'baseline', window), merged(after, m.name, 'canary', window)]);
    const history = (state.verification?.results ?? []).filter((r) => r.check === beforeAfterCheck && r.at >= action.since).map((r) => r.verdict);
    const verdict = deps.judges(policy.judge).judge({ window, results, history });
    const judgedAt = deps.clock.now().toISOString();
    await storeSummaries(deps.db, policy.metrics.map((m, i) => summaryOf(owner, m.name, results[i * 2]!, results[i * 2 + 1]!, verdict, judgedAt)));
    return verdict;
  };
}

function side(result: MeasurementResult): BaselineSummary['before'] {
  if (!result.ok) return { ...figuresOf([], null, result.error.window), error: result.error.reason };
  return figuresOf(result.measurement.samples, result.measurement.count ?? null, result.measurement.samples.length > 0 ? result.measurement.window : null);
}

function summaryOf(owner: SampleOwner, metric: string, before: MeasurementResult, after: MeasurementResult, verdict: Verdict, judgedAt: string): BaselineSummary {
  const evidence = verdict.evidence.find((e) => e.metric === metric);
  const classification = typeof evidence?.statistics.classification === 'string' ? evidence.statistics.classification : (evidence?.outcome ?? 'nodata');
  return {
    ...owner,
    metric,
    before: side(before),
    after: side(after),
    classification,
    outcome: evidence?.outcome ?? 'nodata',
    threshold: evidence?.threshold ?? 'not judged',
    reason: evidence?.reason ?? `the judge does not name ${metric}`,
    judgedAt,
  };
}
