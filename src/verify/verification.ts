import { UfError } from '../core/errors.js';
import type { MeasurementResult } from '../rollout/analysis/types.js';
import { beforeAfterCheck } from '../rollout/engine/index.js';
import type { AnalysisSpec, BaselineCapturer, VerificationRunner } from '../rollout/reconciler/index.js';
import { baselineCapturer, beforeAfterJudge } from './baselines/run.js';
import type { BaselineDeps } from './baselines/types.js';

/**
 * The verification checks after 100%, as the reconciler runs them. A check is either the
 * before/after baselines (verify/baselines) or an analysis of `rollout.analyses` run against
 * production: its metrics measured on the new version alone (it has all the traffic) over the
 * action's window, judged without a reference, with this window's earlier verdicts of the same
 * check as the judge's history. Any metric provider plugs in through the analysis's metrics
 * (a journey probe is one more source kind), so adding a check is configuration.
 */
export function verificationRunners(analyses: Readonly<Record<string, AnalysisSpec>>, baselines: BaselineDeps): { verify: VerificationRunner; captureBaseline: BaselineCapturer } {
  const judgeBeforeAfter = beforeAfterJudge(baselines);
  return {
    captureBaseline: baselineCapturer(baselines),
    verify: async (action, state) => {
      if (action.check === beforeAfterCheck) return judgeBeforeAfter(action, state);
      const spec = analyses[action.check];
      if (!spec) throw new UfError('not_found', `rollout ${state.rolloutId}: no analysis named ${action.check} is configured for its verification`, { record: action.check });
      const results: MeasurementResult[] = await Promise.all(
        spec.metrics.map((m) => m.provider.measure({ metric: m.metric, service: state.service, variant: 'canary', window: action.window, settings: m.settings })),
      );
      const history = (state.verification?.results ?? []).filter((r) => r.check === action.check && r.at >= action.since && r.verdict.judge === spec.judge.id).map((r) => r.verdict);
      return spec.judge.judge({ window: action.window, results, history, withoutReference: true });
    },
  };
}
