import { UfError } from '../../core/errors.js';
import type { Judge } from '../analysis/judges/types.js';
import type { MetricProvider } from '../analysis/providers/types.js';
import type { MeasurementResult, Variant, Verdict } from '../analysis/types.js';
import type { Action, RolloutState } from '../engine/index.js';

/** One metric of an analysis: which provider reads it, with which source settings. */
export interface AnalysisMetric {
  metric: string;
  // Settings are opaque here: each provider validated its own when the config loaded.
  provider: MetricProvider<unknown>;
  settings: unknown;
}

/** An analysis the rollout policy names: its metrics and the judge that decides on them. */
export interface AnalysisSpec {
  judge: Judge;
  metrics: readonly AnalysisMetric[];
}

export type RunAnalysisAction = Extract<Action, { kind: 'run-analysis' }>;
export type RunVerificationAction = Extract<Action, { kind: 'run-verification' }>;
export type CaptureBaselineAction = Extract<Action, { kind: 'capture-baseline' }>;

/** Runs one verification check against production (verify/); rejects only when the check is unknown. */
export type VerificationRunner = (action: RunVerificationAction, state: RolloutState) => Promise<Verdict>;

/** Measures and stores the before-window of the verification's before/after metrics (verify/baselines). */
export type BaselineCapturer = (action: CaptureBaselineAction, state: RolloutState) => Promise<{ captured: string[]; errors: string[] }>;

/** Measures and judges one `run-analysis` action; rejects only when the analysis is unknown. */
export type AnalysisRunner = (action: RunAnalysisAction, state: RolloutState) => Promise<Verdict>;

/**
 * The run-analysis action's runner: every metric of the named analysis is measured for the canary
 * and its reference (the fresh baseline when the rollout runs one, else stable) over the action's
 * window (the canary alone at 100%, where nothing else has traffic), then the judge decides, with this step's earlier verdicts of the attempt as its history.
 * Providers never reject (an error is a measurement error the judge sees), and judges are pure, so
 * running it again after a crash measures the same window again.
 */
export function analysisRunner(analyses: Readonly<Record<string, AnalysisSpec>>): AnalysisRunner {
  return async (action, state) => {
    const spec = analyses[action.analysis];
    if (!spec) throw new UfError('not_found', `rollout ${state.rolloutId}: no analysis named ${action.analysis} is configured`, { record: action.analysis });
    // At 100% the canary takes all the traffic: no variant is left to compare it with.
    const withoutReference = (state.steps[state.step]?.weight ?? 0) >= 100;
    const variants: Variant[] = withoutReference ? ['canary'] : ['canary', state.baseline ? 'baseline' : 'stable'];
    const results: MeasurementResult[] = await Promise.all(
      spec.metrics.flatMap((m) => variants.map((variant) => m.provider.measure({ metric: m.metric, service: state.service, variant, window: action.window, settings: m.settings }))),
    );
    const history = state.verdicts.filter((v) => v.attempt === state.attempt && v.step === state.step && v.verdict.judge === spec.judge.id).map((v) => v.verdict);
    return spec.judge.judge({ window: action.window, results, history, ...(withoutReference ? { withoutReference } : {}) });
  };
}
