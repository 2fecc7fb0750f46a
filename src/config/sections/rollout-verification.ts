import { parseDuration } from '../../core/duration.js';
import { statisticalJudgeSettingsSchema, type JudgeSettings } from './judges.js';
import type { AnalysisMetricSetting, AnalysisSetting, RegressionAction, RolloutConfig, VerificationSetting } from './rollout.js';

/**
 * How `verification:` of the rollout policy resolves for one service and change class, and what is
 * refused at load. After the last step (100%) the rollout stays in verification for `window`; every
 * `interval` it runs its checks against production:
 * - the before/after baselines (`metrics`, judged by `judge`): each metric measured over
 *   `baselineWindow` before the rollout started (the stable version, captured when the rollout
 *   starts) against the verification window so far (the new version at 100%);
 * - each analysis named in `checks` (by default the 100% step's own analysis), measured on the new
 *   version alone, as at 100%: journeys, SLOs, KPIs with absolute limits.
 * When the window ends and every check passed, the upgrade completes. A failed check is a
 * regression: `onRegression` alert keeps the upgrade in verifying and tells the owner; rollback
 * takes traffic off the new version and rolls the upgrade back.
 *
 * Merge: the built-in defaults (window 30m, interval 1m, baselineWindow 30m, alert, no metrics)
 * -> `rollout.defaults.verification` -> `rollout.classes.<class>.verification` ->
 * `rollout.services.<s>.verification` -> `rollout.services.<s>.<class>.verification`, key by key.
 */

export const defaultVerification = { window: '30m', interval: '1m', baselineWindow: '30m', onRegression: 'alert' } as const satisfies VerificationSetting;

/** One analysis run against production during the verification window. */
export interface ResolvedVerificationCheck {
  analysis: string;
  /** How far back each run measures; from the start of the window when absent. */
  windowMs?: number;
}

export interface ResolvedVerification {
  windowMs: number;
  intervalMs: number;
  baselineWindowMs: number;
  onRegression: RegressionAction;
  /** The before/after comparison, carried in the rollout's state so it runs with what it started with. */
  baseline?: { metrics: AnalysisMetricSetting[]; judge: JudgeSettings };
  checks: ResolvedVerificationCheck[];
}

type Field = keyof VerificationSetting;
const fields: readonly Field[] = ['window', 'interval', 'baselineWindow', 'onRegression', 'metrics', 'judge', 'checks'];

/** Each field of the merged `verification:`, with the key path it was written at (undefined: built-in). */
export type MergedVerification = { [F in Field]?: { value: NonNullable<VerificationSetting[F]>; path: readonly PropertyKey[] | undefined } };

interface Problem {
  path: readonly PropertyKey[];
  message: string;
}

/** Merges the layers' `verification:` key by key over the built-in defaults. */
export function mergeVerification(layers: readonly { policy: { verification?: VerificationSetting | undefined }; path: readonly PropertyKey[] | undefined }[]): MergedVerification {
  const merged: Record<string, { value: unknown; path: readonly PropertyKey[] | undefined }> = {};
  for (const [key, value] of Object.entries(defaultVerification)) merged[key] = { value, path: undefined };
  for (const layer of layers) {
    const written = layer.policy.verification;
    if (!written) continue;
    for (const field of fields) {
      if (written[field] !== undefined) merged[field] = { value: written[field], path: layer.path ? [...layer.path, 'verification', field] : undefined };
    }
  }
  return merged as MergedVerification;
}

/** Why an analysis cannot judge without a reference (at 100%), or undefined when it can. */
export function comparesOnly(analysis: AnalysisSetting): string | undefined {
  if (analysis.judge.kind === 'statistical') return 'compares the canary with a reference (statistical judge)';
  const ratioOnly = analysis.judge.checks.filter((check) => check.max === undefined && check.min === undefined).map((check) => check.metric);
  return ratioOnly.length > 0 ? `has only ratio limits on ${ratioOnly.join(', ')}` : undefined;
}

/** Every `metric: NAME` in a judge's settings, wherever the judge nests it. */
export function metricReferences(value: unknown, path: PropertyKey[]): { name: string; path: PropertyKey[] }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => metricReferences(item, [...path, i]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => (key === 'metric' && typeof item === 'string' ? [{ name: item, path: [...path, key] }] : metricReferences(item, [...path, key])));
}

/** The judge of the before/after metrics when none is written: statistical, each metric bad when it rises. */
function defaultJudge(metrics: readonly AnalysisMetricSetting[]): { ok: true; judge: JudgeSettings } | { ok: false; name: string } {
  const parsed = statisticalJudgeSettingsSchema.safeParse({ kind: 'statistical', metrics: metrics.map((m) => ({ metric: m.name, direction: 'increase' })) });
  if (parsed.success) return { ok: true, judge: parsed.data };
  const index = parsed.error.issues.find((issue) => issue.path[0] === 'metrics')?.path[1];
  return { ok: false, name: typeof index === 'number' ? metrics[index]!.name : metrics[0]!.name };
}

/**
 * Problems of one merged `verification:`; `lastAnalysis` is the 100% step's analysis (the default
 * check), `where` the policy's key path for problems of built-in values.
 */
export function verificationProblems(rollout: RolloutConfig, merged: MergedVerification, lastAnalysis: string | undefined, where: readonly PropertyKey[]): Problem[] {
  const problems: Problem[] = [];
  const at = (field: Field) => merged[field]?.path ?? [...where, 'verification', field];
  const windowMs = parseDuration(merged.window!.value)!;
  const intervalMs = parseDuration(merged.interval!.value)!;
  if (intervalMs > windowMs) problems.push({ path: at(merged.interval!.path ? 'interval' : 'window'), message: `the verification interval ${merged.interval!.value} is longer than its window ${merged.window!.value}` });
  const metrics = merged.metrics?.value ?? [];
  const seen = new Set<string>();
  metrics.forEach((metric, i) => {
    if (seen.has(metric.name)) problems.push({ path: [...at('metrics'), i, 'name'], message: `metric '${metric.name}' is listed twice in verification.metrics` });
    seen.add(metric.name);
  });
  if (merged.judge && metrics.length === 0) problems.push({ path: at('judge'), message: 'verification.judge judges the before/after metrics, and verification.metrics lists none' });
  if (merged.judge) {
    for (const reference of metricReferences(merged.judge.value, [...at('judge')])) {
      if (!seen.has(reference.name)) problems.push({ path: reference.path, message: `the verification judge names metric '${reference.name}', which verification.metrics does not list (metrics: ${[...seen].join(', ') || 'none'})` });
    }
  } else if (metrics.length > 0) {
    const judged = defaultJudge(metrics);
    if (!judged.ok) problems.push({ path: at('metrics'), message: `the default verification judge cannot take the metric name '${judged.name}' (lower-case letters, digits and "_"): rename it or write verification.judge` });
  }
  const checks = merged.checks?.value ?? (lastAnalysis ? [lastAnalysis] : []);
  checks.forEach((name, i) => {
    const analysis = rollout.analyses[name];
    const path = merged.checks ? [...at('checks'), i] : [...where, 'verification', 'checks'];
    if (!analysis) {
      const known = Object.keys(rollout.analyses);
      problems.push({ path, message: `verification check '${name}' is not defined under rollout.analyses${known.length > 0 ? `: defined are ${known.join(', ')}` : ''}` });
      return;
    }
    const comparing = comparesOnly(analysis);
    if (comparing && merged.checks) problems.push({ path, message: `verification runs at 100%, where no traffic is left for a reference, and analysis '${name}' ${comparing}: use an analysis with absolute limits` });
  });
  if (checks.length === 0 && metrics.length === 0 && merged.checks) problems.push({ path: at('checks'), message: 'verification has nothing to check: list an analysis in verification.checks or metrics in verification.metrics' });
  return problems;
}

/** The resolved verification of a policy whose problems were refused already. */
export function resolveVerification(rollout: RolloutConfig, merged: MergedVerification, lastAnalysis: string): ResolvedVerification {
  const metrics = merged.metrics?.value ?? [];
  const judge = merged.judge?.value ?? (metrics.length > 0 ? (defaultJudge(metrics) as { ok: true; judge: JudgeSettings }).judge : undefined);
  const checks = merged.checks?.value ?? [lastAnalysis];
  return {
    windowMs: parseDuration(merged.window!.value)!,
    intervalMs: parseDuration(merged.interval!.value)!,
    baselineWindowMs: parseDuration(merged.baselineWindow!.value)!,
    onRegression: merged.onRegression!.value,
    ...(judge && metrics.length > 0 ? { baseline: { metrics, judge } } : {}),
    checks: checks.map((analysis) => {
      const window = rollout.analyses[analysis]?.window;
      return { analysis, ...(window ? { windowMs: parseDuration(window)! } : {}) };
    }),
  };
}
