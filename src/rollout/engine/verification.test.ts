import { describe, expect, it } from 'vitest';
import type { ResolvedVerification } from '../../config/sections/rollout-verification.js';
import type { VerdictOutcome } from '../analysis/types.js';
import { Driver, minute, policy, verdict } from '../../../test/helpers/rollout.js';
import { beforeAfterCheck } from './types.js';

const baselineSettings = {
  metrics: [{ name: 'p95_latency', source: { kind: 'builtin' as const, adminUrl: 'http://127.0.0.1:9901', stat: 'p95' as const, timeoutMs: 5_000 } }],
  judge: { kind: 'threshold' as const, checks: [{ metric: 'p95_latency', aggregate: 'value' as const, maxRatio: 1.5 }], minSamples: 1, failureLimit: 0 },
};

function verification(overrides: Partial<ResolvedVerification> = {}): ResolvedVerification {
  return { windowMs: 30 * minute, intervalMs: 5 * minute, baselineWindowMs: 30 * minute, onRegression: 'alert', checks: [{ analysis: 'slo' }], ...overrides };
}

/** A standard rollout (auto gates) driven to 100%, its verification window open. */
function atFullTraffic(v: ResolvedVerification): Driver {
  const d = new Driver({ policy: { ...policy('standard'), verification: v } });
  d.settle();
  for (let i = 0; i < 10 && d.state.phase === 'analysing'; i++) d.analyse('pass');
  expect(d.state.phase).toBe('verifying');
  return d;
}

/** Answers each due round of checks with `outcome(check, round)` until the phase leaves verifying or `minutes` pass. */
function verify(d: Driver, outcome: (check: string, round: number) => VerdictOutcome, minutes = 40): void {
  for (let i = 0; i < minutes && d.state.phase === 'verifying'; i++) {
    d.wait(minute);
    for (const p of [...d.state.pending]) {
      if (p.kind !== 'run-verification') continue;
      d.feed({ type: 'verdict', actionId: p.id, verdict: verdict(outcome(p.check!, p.round!)) });
    }
    d.settle();
  }
}

describe('verification after 100%', () => {
  it('keeps the rollout verifying for the window, runs its checks each interval, then completes the upgrade', () => {
    const d = atFullTraffic(verification());
    const startedAt = Date.parse(d.state.verification!.startedAt!);
    expect(d.state.upgradeStage).toBe('verifying');
    // Until verification passes the new version is not promoted: a rollback still sends traffic to the old one.
    expect(d.of('promote-deployment')).toHaveLength(0);
    verify(d, () => 'pass');
    expect(d.state.phase).toBe('done');
    expect(d.state.upgradeStage).toBe('done');
    expect(d.state.verification!.outcome).toBe('passed');
    const runs = d.of('run-verification');
    expect(runs.map((r) => Date.parse(r.window.end) - startedAt)).toEqual([5, 10, 15, 20, 25, 30].map((m) => m * minute));
    expect(runs.filter((r) => r.final).map((r) => r.round)).toEqual([6]);
    expect(d.of('record-evidence').at(-1)!.evidence).toMatchObject({ kind: 'verification', outcome: 'pass' });
    expect(d.of('transition-upgrade').at(-1)).toMatchObject({ event: 'complete' });
    expect(d.of('promote-deployment')).toHaveLength(1);
    expect(d.of('notify-owner').at(-1)!.text).toContain('the upgrade is done');
  });

  it('keeps the upgrade in verifying on a regression, alerts the owner and records the verdict', () => {
    const d = atFullTraffic(verification());
    verify(d, (_check, round) => (round === 3 ? 'fail' : 'pass'));
    expect(d.state.phase).toBe('paused');
    expect(d.state.pauseReason).toBe('regression');
    expect(d.state.upgradeStage).toBe('verifying');
    expect(d.state.weights.canary).toBe(100);
    expect(d.of('transition-upgrade').map((t) => t.event)).not.toContain('rollback');
    expect(d.of('transition-upgrade').map((t) => t.event)).not.toContain('complete');
    expect(d.of('record-evidence').at(-1)!.evidence).toMatchObject({ kind: 'verification', outcome: 'fail' });
    expect(d.of('notify-owner').at(-1)!.text).toMatch(/regression .*stays in verifying/);
    const decision = d.of('record-decision').at(-1)!;
    expect(decision.text).toContain('onRegression alert');
    expect(decision.evidence.verdict?.outcome).toBe('fail');
    // Nothing more runs until a person decides; resume opens a new window.
    d.wait(10 * minute);
    expect(d.state.pending.filter((p) => p.kind === 'run-verification')).toEqual([]);
    d.feed({ type: 'command', command: 'resume', actor: 'carol' });
    expect(d.state.phase).toBe('verifying');
    verify(d, () => 'pass');
    expect(d.state.upgradeStage).toBe('done');
  });

  it('takes traffic off and rolls the upgrade back on a regression when the policy says rollback', () => {
    const d = atFullTraffic(verification({ onRegression: 'rollback' }));
    verify(d, (_check, round) => (round === 2 ? 'fail' : 'pass'));
    expect(d.state.phase).toBe('rolled-back');
    expect(d.state.upgradeStage).toBe('rolled_back');
    expect(d.state.weights).toEqual({ canary: 0, baseline: 0 });
    expect(d.of('transition-upgrade').at(-1)).toMatchObject({ event: 'rollback' });
    expect(d.of('record-evidence').at(-1)!.evidence).toMatchObject({ kind: 'verification', outcome: 'fail' });
    expect(d.of('promote-deployment')).toHaveLength(0);
    expect(d.of('remove-deployment').map((r) => r.variant)).toContain('canary');
  });

  it('pauses for a human when the window ends without every check passing', () => {
    const d = atFullTraffic(verification());
    verify(d, (_check, round) => (round === 6 ? 'inconclusive' : 'pass'));
    expect(d.state.phase).toBe('paused');
    expect(d.state.pauseReason).toBe('inconclusive');
    expect(d.state.upgradeStage).toBe('verifying');
  });

  it('captures the before-window as the rollout starts, and judges before/after beside the analyses', () => {
    const d = new Driver({ policy: { ...policy('standard'), verification: verification({ baseline: baselineSettings }) } });
    const capture = d.actions.find((a) => a.kind === 'capture-baseline');
    expect(capture).toMatchObject({ window: { start: '2026-12-01T08:30:00.000Z', end: '2026-12-01T09:00:00.000Z' } });
    d.feed({ type: 'baseline-captured', actionId: capture!.id, captured: ['p95_latency'], errors: [] });
    expect(d.state.verification!.capture?.captured).toEqual(['p95_latency']);
    d.settle();
    for (let i = 0; i < 10 && d.state.phase === 'analysing'; i++) d.analyse('pass');
    const checks: string[] = [];
    verify(d, (check) => (checks.push(check), 'pass'));
    expect(new Set(checks)).toEqual(new Set([beforeAfterCheck, 'slo']));
    // The before/after slices follow one another without a gap or an overlap.
    const slices = d.of('run-verification').filter((r) => r.check === beforeAfterCheck);
    slices.slice(1).forEach((slice, i) => expect(slice.window.start).toBe(slices[i]!.window.end));
    expect(d.state.phase).toBe('done');
  });

  it('aborting during verification rolls the upgrade back', () => {
    const d = atFullTraffic(verification());
    d.wait(minute);
    d.feed({ type: 'command', command: 'abort', actor: 'carol', reason: 'support tickets' });
    expect(d.state.phase).toBe('aborted');
    expect(d.state.upgradeStage).toBe('rolled_back');
  });
});
