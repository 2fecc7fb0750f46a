import { describe, expect, it } from 'vitest';
import type { MetricEvidence, Verdict } from '../rollout/analysis/types.js';
import type { RolloutState } from '../rollout/engine/index.js';
import { describeMeasurements, judgeOutcome } from './outcomes.js';

const window = { start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T00:00:10.000Z' };
const step = (weight: number) => ({
  weight,
  minDurationMs: 10_000,
  maxDurationMs: 120_000,
  minSamples: 40,
  analysis: { name: 'a', intervalMs: 10_000, windowMs: 10_000 },
  gate: weight === 100 ? ({ kind: 'auto' } as const) : ({ kind: 'approval', role: 'approver' } as const),
  onFailure: 'rollback' as const,
});

function metric(name: string, outcome: 'pass' | 'fail'): MetricEvidence {
  return { metric: name, outcome, critical: false, window, values: { canary: { count: 60 } }, threshold: '', statistics: {}, reason: '' };
}

function verdict(failing: string[]): Verdict {
  const names = ['p95_latency', 'error_rate', 'conversion', 'queue_backlog'];
  const outcome = failing.length > 0 ? 'fail' : 'pass';
  return { judge: 'threshold', outcome, reason: failing.join(', ') || 'every check passed', evidence: names.map((n) => metric(n, failing.includes(n) ? 'fail' : 'pass')) };
}

function state(change: Partial<RolloutState>): RolloutState {
  return {
    rolloutId: 'rol_1',
    upgradeId: 'upg_1',
    service: 'svc',
    initiator: 'user:starter',
    attempt: 1,
    steps: [step(5), step(50), step(100)],
    baseline: true,
    step: 0,
    phase: 'rolled-back',
    weights: { canary: 0, baseline: 0 },
    weightsConfirmed: true,
    upgradeStage: 'rolled_back',
    failedInAttempt: true,
    stepPassed: false,
    deployed: [],
    healthy: [],
    verdicts: [],
    approvals: [],
    pending: [],
    seq: 10,
    ...change,
  };
}

const failedAt = (weight: number, failing: string[]) => ({ attempt: 1, step: weight === 5 ? 0 : 1, weight, actionId: 'x', at: window.end, window, verdict: verdict(failing) });

describe('demo outcome judgement', () => {
  it('takes the latency case as met only when p95 latency failed at 5% and the rollout rolled back', () => {
    expect(judgeOutcome('latency-regression', state({ verdicts: [failedAt(5, ['p95_latency'])] }), 'user:ok').met).toBe(true);
    expect(judgeOutcome('latency-regression', state({ step: 1, verdicts: [failedAt(50, ['p95_latency'])] }), 'user:ok').met).toBe(false);
    expect(judgeOutcome('latency-regression', state({ verdicts: [failedAt(5, ['conversion'])] }), 'user:ok').met).toBe(false);
    const paused = judgeOutcome('latency-regression', state({ phase: 'paused', pauseReason: 'inconclusive', verdicts: [] }), 'user:ok');
    expect(paused).toMatchObject({ met: false, outcome: 'paused (inconclusive) at 5%' });
  });

  it('takes the KPI case as met only when conversion alone failed at 5%', () => {
    expect(judgeOutcome('conversion-drop', state({ verdicts: [failedAt(5, ['conversion'])] }), 'user:ok')).toMatchObject({ met: true, outcome: expect.stringMatching(/^blocked at 5% by conversion \(passed: p95_latency, error_rate, queue_backlog\)/) });
    expect(judgeOutcome('conversion-drop', state({ verdicts: [failedAt(5, ['conversion', 'p95_latency'])] }), 'user:ok').met).toBe(false);
  });

  it('takes the healthy case as met only at 100% with every gate approved by the approver', () => {
    const approval = (stepIndex: number, by: string) => ({ attempt: 1, step: stepIndex, by, role: 'approver' as const, decision: 'approve' as const, at: window.end });
    const done = { phase: 'done' as const, step: 2, weights: { canary: 100, baseline: 0 }, upgradeStage: 'verifying' as const, failedInAttempt: false };
    expect(judgeOutcome('healthy', state({ ...done, approvals: [approval(0, 'user:ok'), approval(1, 'user:ok')] }), 'user:ok').met).toBe(true);
    expect(judgeOutcome('healthy', state({ ...done, approvals: [approval(0, 'user:ok'), approval(1, 'user:other')] }), 'user:ok').met).toBe(false);
    expect(judgeOutcome('healthy', state({ ...done, approvals: [approval(0, 'user:ok')] }), 'user:ok').met).toBe(false);
    expect(judgeOutcome('healthy', state({ verdicts: [failedAt(5, ['error_rate'])] }), 'user:ok').met).toBe(false);
  });

  it('describes a verdict\'s figures, with the reference where a check compared them', () => {
    const v = verdict([]);
    v.evidence[0]!.values = { canary: { count: 60, value: 35.25 } };
    v.evidence[2]!.values = { canary: { count: 60, value: 0.2 }, baseline: { count: 58, value: 0.32 } };
    v.evidence[1]!.values = { canary: { count: 60 } };
    expect(describeMeasurements(v)).toBe('p95_latency 35.250, error_rate -, conversion 0.200 (baseline 0.320), queue_backlog -');
  });
});
