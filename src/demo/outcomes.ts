import { formatDuration } from '../core/duration.js';
import type { Verdict } from '../rollout/analysis/types.js';
import type { RolloutState } from '../rollout/engine/index.js';
import type { ScenarioRole } from './scenario.js';

/** A demo rollout's outcome against its case. */
export interface JudgedOutcome {
  /** What the demo expects of the rollout. */
  expected: string;
  met: boolean;
  /** What happened, in one line. */
  outcome: string;
}

/**
 * Whether a demo rollout ended as its case says, read from the rollout's own state (its phase,
 * its verdicts with their evidence, its approvals): the latency regression rolled back at 5% on
 * p95 latency; the conversion drop blocked at 5% by conversion alone, latency and errors within
 * their limits; the healthy upgrade at 100% with every gate approved by `approver`, then verified
 * (when its policy verifies: every rollout the demo starts) and done.
 */
export function judgeOutcome(role: ScenarioRole, state: RolloutState, approver: string): JudgedOutcome {
  const failed = state.verdicts.filter((v) => v.attempt === state.attempt && v.verdict.outcome === 'fail').at(-1);
  const failedMetrics = failed?.verdict.evidence.filter((m) => m.outcome === 'fail').map((m) => m.metric) ?? [];
  const passedMetrics = failed?.verdict.evidence.filter((m) => m.outcome === 'pass').map((m) => m.metric) ?? [];
  const where = `${state.phase}${state.pauseReason ? ` (${state.pauseReason})` : ''} at ${state.steps[state.step]?.weight ?? 0}%`;
  const lastReason = state.verdicts.at(-1)?.verdict.reason;
  const otherwise = `${where}${lastReason ? `; last analysis: ${lastReason}` : ''}`;
  switch (role) {
    case 'latency-regression': {
      const expected = 'rolled back automatically at 5% on p95 latency';
      const met = state.phase === 'rolled-back' && failed?.weight === 5 && failedMetrics.includes('p95_latency');
      return { expected, met, outcome: failed ? `rolled back at ${failed.weight}% on ${failedMetrics.join(', ')}: ${failed.verdict.reason}` : otherwise };
    }
    case 'conversion-drop': {
      const expected = 'blocked at 5% by conversion alone, with p95 latency and errors within their limits';
      const met =
        state.phase === 'rolled-back' && failed?.weight === 5 && failedMetrics.length === 1 && failedMetrics[0] === 'conversion' && passedMetrics.includes('p95_latency') && passedMetrics.includes('error_rate');
      return { expected, met, outcome: failed ? `blocked at ${failed.weight}% by ${failedMetrics.join(', ')} (passed: ${passedMetrics.join(', ')}), traffic off and rolled back: ${failed.verdict.reason}` : otherwise };
    }
    case 'healthy': {
      const gates = state.steps.length - 1;
      const approvals = state.approvals.filter((a) => a.attempt === state.attempt && a.decision === 'approve');
      const v = state.verification;
      const verified = !v || v.outcome === 'passed';
      const expected = `reached 100% with its ${gates} gates approved by ${approver}${v ? ', then verified' : ''}`;
      const met = state.phase === 'done' && verified && state.weights.canary === 100 && approvals.length === gates && approvals.every((a) => a.by === approver);
      const then = v ? `verified for ${formatDuration(v.policy.windowMs)} at 100% (${v.round} rounds of checks) and done` : 'the upgrade moves to verification';
      return {
        expected,
        met,
        outcome: state.phase === 'done' ? `reached ${state.weights.canary}%, gates approved by ${[...new Set(approvals.map((a) => `${a.by} (${a.role})`))].join(', ') || 'nobody'}; ${then}` : otherwise,
      };
    }
  }
}

/** The figures of a verdict, one short phrase per metric: `p95_latency 35.2 (baseline 33.1)`. */
export function describeMeasurements(verdict: Verdict): string {
  return verdict.evidence
    .map((m) => {
      const shown = (v: number | undefined) => (v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(3));
      const reference = m.values.baseline ?? m.values.stable;
      const compared = reference && reference.value !== undefined ? ` (${m.values.baseline ? 'baseline' : 'stable'} ${shown(reference.value)})` : '';
      return `${m.metric} ${shown(m.values.canary?.value)}${compared}`;
    })
    .join(', ');
}
