import { describe, expect, it } from 'vitest';
import { Driver, minute, policy, t0, verdict } from '../../../test/helpers/rollout.js';
import { decide } from './decide.js';

const approve = (by = 'bob', roles = ['approver'] as const) => ({ type: 'approval', by, roles: [...roles], decision: 'approve' }) as const;

/** Drives a healthy rollout through every step, approving with `bob`. */
function runToEnd(d: Driver): void {
  for (let i = 0; i < 10 && !['done', 'rolled-back', 'aborted', 'paused'].includes(d.state.phase); i++) {
    d.settle();
    d.analyse('pass');
    if (d.state.phase === 'awaiting-approval') d.feed(approve());
  }
  d.settle();
}

describe('rollout engine: decide', () => {
  it('deploys, waits for health, then walks 5 -> 25 -> 50 -> 100 behind approvals and starts verification', () => {
    const d = new Driver();
    expect(d.actions.map((a) => a.kind)).toEqual(['record-decision', 'deploy']);
    expect(d.state.weights.canary).toBe(0);
    runToEnd(d);
    expect(d.state.phase).toBe('done');
    expect(d.of('set-weights').map((a) => a.weights.canary)).toEqual([5, 25, 50, 100]);
    expect(d.of('transition-upgrade').map((a) => a.event)).toEqual(['start_canary', 'promote', 'promote', 'promote', 'start_verification']);
    expect(d.of('transition-upgrade')[1]!.steps).toEqual([5, 25, 50, 100]);
    expect(d.of('request-approval').map((a) => [a.role, a.excludedUser, a.weight])).toEqual([
      ['approver', 'alice', 5],
      ['approver', 'alice', 25],
      ['approver', 'alice', 50],
    ]);
    expect(d.of('record-evidence').map((a) => `${a.evidence.kind}:${a.evidence.outcome}:${a.evidence.recordedBy}`)).toEqual([
      'analysis:pass:uf:rollout-engine',
      'approval:pass:bob',
      'analysis:pass:uf:rollout-engine',
      'approval:pass:bob',
      'analysis:pass:uf:rollout-engine',
      'approval:pass:bob',
      'analysis:pass:uf:rollout-engine',
    ]);
    expect(d.state.deployed).toEqual([{ attempt: 1, variant: 'canary', digest: 'sha256:canary', evidence: 'deployed' }]);
    expect(d.of('promote-deployment')).toHaveLength(1);
    expect(d.of('remove-deployment')).toEqual([]);
    const ids = d.actions.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[1]).toBe('ro_1/a1/s0/deploy/1');
    expect(d.of('record-decision').every((a) => a.owner !== '' && a.evidence.attempt === 1)).toBe(true);
  });

  it('gives a fresh baseline the canary’s share, within what is left of 100%', () => {
    const d = new Driver({ baseline: true });
    expect(d.of('deploy').map((a) => a.variant)).toEqual(['canary', 'baseline']);
    runToEnd(d);
    expect(d.of('set-weights').map((a) => a.weights)).toEqual([
      { canary: 5, baseline: 5 },
      { canary: 25, baseline: 25 },
      { canary: 50, baseline: 50 },
      { canary: 100, baseline: 0 },
    ]);
    expect(d.of('remove-deployment').map((a) => a.variant)).toEqual(['baseline']);
  });

  it('promotes a standard change on auto gates, with no approval requested', () => {
    const d = new Driver({ policy: policy('standard') });
    runToEnd(d);
    expect(d.state.phase).toBe('done');
    expect(d.of('request-approval')).toEqual([]);
  });

  it('sends no traffic before the health check passes, and pauses when it fails', () => {
    const d = new Driver();
    d.feed({ type: 'deploy-finished', actionId: d.pending('deploy')!.id, ok: true, digest: 'sha256:abc', evidence: 'ok' });
    expect(d.of('set-weights')).toEqual([]);
    d.feed({ type: 'health', actionId: d.pending('wait-for-health')!.id, ok: false, reason: 'GET /healthz answered 503' });
    expect(d.state).toMatchObject({ phase: 'paused', pauseReason: 'action-failed' });
    expect(d.of('set-weights')).toEqual([]);
    d.feed({ type: 'command', command: 'resume', actor: 'carol' });
    expect(d.pending('wait-for-health')).toBeDefined();
    d.settle();
    expect(d.state.weights.canary).toBe(5);
  });

  it.each([
    ['before minDuration', 500, 4, false],
    ['with too few samples', 20, 8, false],
    ['after minDuration with enough samples', 500, 5, true],
  ])('counts a pass %s only when both hold', (_, count, minutes, counted) => {
    const d = new Driver();
    d.settle();
    for (let i = 0; i < minutes; i++) {
      d.wait(minute);
      d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('pass', count) });
    }
    expect(d.state.phase).toBe(counted ? 'awaiting-approval' : 'analysing');
  });

  it('does not open a gate on a pass that tolerated a failed measurement, nor promote on one', () => {
    const d = new Driver();
    d.settle();
    const tolerated = verdict('pass');
    tolerated.evidence[0] = { ...tolerated.evidence[0]!, outcome: 'fail', reason: 'p95 380 > 250 (1 of 1 tolerated)' };
    for (let i = 0; i < 6; i++) {
      d.wait(minute);
      d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: tolerated });
    }
    expect(d.state.phase).toBe('analysing');
    d.feed({ type: 'command', command: 'promote', actor: 'carol' });
    expect(d.of('record-decision').at(-1)!.text).toContain('passed with a tolerated failed measurement');
    d.wait(minute);
    d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('pass') });
    expect(d.state.phase).toBe('awaiting-approval');
  });

  it('never lets the person who started the rollout promote it', () => {
    const d = new Driver();
    d.settle();
    d.wait(minute);
    d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('pass') });
    d.feed({ type: 'command', command: 'promote', actor: 'alice' });
    expect(d.of('record-decision').at(-1)!.text).toBe('promote by alice refused: alice started this rollout and cannot promote it');
    expect(d.state.phase).toBe('analysing');
    d.feed({ type: 'command', command: 'promote', actor: 'carol' });
    expect(d.of('record-decision').map((r) => r.text)).toContainEqual(expect.stringContaining('carol promoted past the rest'));
  });

  it('pauses for a human when no counted pass comes within maxDuration', () => {
    const d = new Driver({ policy: policy('normal', { maxDurationMs: 10 * minute }) });
    d.settle();
    d.analyse('pass', 5, 12);
    expect(d.state).toMatchObject({ phase: 'paused', pauseReason: 'too-few-samples' });
    expect(d.of('notify-owner').at(-1)!.text).toContain('within its maximum duration');
  });

  it('on a failed verdict sets the weights to 0 at once, records the evidence, notifies and rolls back', () => {
    const fresh = new Driver({ baseline: true });
    fresh.settle();
    fresh.analyse('pass');
    fresh.feed(approve());
    fresh.settle();
    fresh.wait(minute);
    const actions = fresh.feed({ type: 'verdict', actionId: fresh.pending('run-analysis')!.id, verdict: verdict('fail') });
    expect(actions.map((a) => a.kind)).toEqual(['record-evidence', 'set-weights', 'transition-upgrade', 'notify-owner', 'record-decision']);
    expect(fresh.state).toMatchObject({ phase: 'rolled-back', weights: { canary: 0, baseline: 0 }, upgradeStage: 'rolled_back', failedInAttempt: true });
    expect(fresh.of('transition-upgrade').at(-1)!.event).toBe('rollback');
    const decision = fresh.of('record-decision').at(-1)!;
    expect(decision.text).toContain('analysis slo failed at 25%');
    expect(decision.evidence.verdict?.outcome).toBe('fail');
    expect(fresh.of('remove-deployment')).toEqual([]);
    fresh.settle();
    expect(fresh.of('remove-deployment').map((a) => a.variant)).toEqual(['canary', 'baseline']);
  });

  it('with onFailure pause takes traffic off and holds; resume is refused, abort rolls back', () => {
    const d = new Driver({ policy: policy('normal', { onFailure: 'pause' }) });
    d.settle();
    d.wait(minute);
    d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('fail') });
    expect(d.state).toMatchObject({ phase: 'paused', pauseReason: 'failed', weights: { canary: 0 }, upgradeStage: 'canary' });
    d.feed({ type: 'command', command: 'resume', actor: 'carol' });
    expect(d.of('record-decision').at(-1)!.text).toContain('resume by carol refused');
    d.settle();
    d.feed({ type: 'command', command: 'abort', actor: 'carol', reason: 'p95 regression' });
    expect(d.state).toMatchObject({ phase: 'aborted', upgradeStage: 'rolled_back' });
    expect(d.of('set-weights').map((a) => a.weights.canary)).toEqual([5, 0]);
  });

  it('measures again on an inconclusive verdict within the step\'s minimum duration, then pauses and asks a human; resume analyses again', () => {
    const d = new Driver();
    d.settle();
    d.wait(minute);
    // One minute into a five-minute step: the data is still coming in.
    d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('inconclusive', 0) });
    expect(d.state).toMatchObject({ phase: 'analysing', weights: { canary: 5 } });
    expect(d.state.verdicts.at(-1)!.verdict.outcome).toBe('inconclusive');
    for (let i = 0; i < 4; i++) {
      d.wait(minute);
      if (d.state.phase !== 'analysing') break;
      d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('inconclusive', 0) });
    }
    expect(d.state).toMatchObject({ phase: 'paused', pauseReason: 'inconclusive', weights: { canary: 5 } });
    expect(d.of('notify-owner').at(-1)!.text).toContain('inconclusive');
    d.feed({ type: 'command', command: 'resume', actor: 'carol' });
    expect(d.state.phase).toBe('analysing');
    expect(d.pending('run-analysis')).toBeDefined();
  });

  it.each([
    ['the initiator', approve('alice'), 'alice started this rollout and cannot approve its gates'],
    ['someone without the role', approve('dave', ['operator'] as never), 'dave does not hold the role approver'],
  ])('refuses an approval by %s, as a recorded decision', (_, observation, reason) => {
    const d = new Driver();
    d.settle();
    d.analyse('pass');
    d.feed(observation);
    expect(d.state.phase).toBe('awaiting-approval');
    expect(d.state.approvals).toEqual([]);
    const decision = d.of('record-decision').at(-1)!;
    expect(decision.evidence.refusal).toContain(reason);
    expect(d.of('record-evidence').filter((a) => a.evidence.kind === 'approval')).toEqual([]);
  });

  it('keeps analysing while a gate waits, and rolls back on a breach during the wait', () => {
    const d = new Driver();
    d.settle();
    d.analyse('pass');
    expect(d.state.phase).toBe('awaiting-approval');
    d.wait(minute);
    d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('pass') });
    expect(d.state.phase).toBe('awaiting-approval');
    d.wait(minute);
    d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('fail') });
    expect(d.state).toMatchObject({ phase: 'rolled-back', weights: { canary: 0 } });
    d.feed(approve());
    expect(d.of('record-decision').at(-1)!.text).toContain('not waiting for an approval');
  });

  it('refuses an approval nothing waits for, and rolls back on a rejection', () => {
    const d = new Driver();
    d.settle();
    d.feed(approve());
    expect(d.of('record-decision').at(-1)!.text).toContain('not waiting for an approval');
    d.analyse('pass');
    d.feed({ type: 'approval', by: 'bob', roles: ['approver'], decision: 'reject', reason: 'change freeze' });
    expect(d.state).toMatchObject({ phase: 'rolled-back', weights: { canary: 0 } });
    expect(d.of('record-decision').at(-1)!).toMatchObject({ owner: 'bob' });
  });

  it('ignores a verdict of an earlier step and a repeated observation', () => {
    const d = new Driver({ policy: policy('standard') });
    d.settle();
    d.analyse('pass');
    d.settle();
    const before = d.state;
    const stale = d.actions.find((a) => a.kind === 'run-analysis')!;
    expect(d.feed({ type: 'verdict', actionId: stale.id, verdict: verdict('fail') })).toEqual([]);
    expect(d.state).toEqual(before);
  });

  it('promote skips the rest of a step’s wait after a passing analysis, never without one', () => {
    const d = new Driver({ policy: policy('standard') });
    d.settle();
    d.feed({ type: 'command', command: 'promote', actor: 'carol' });
    expect(d.of('record-decision').at(-1)!.text).toContain('no passing analysis at 5% yet');
    d.wait(minute);
    d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('pass', 3) });
    d.wait(minute);
    const inFlight = d.pending('run-analysis')!;
    d.feed({ type: 'command', command: 'promote', actor: 'carol' });
    expect(d.state.weights.canary).toBe(25);
    expect(d.feed({ type: 'verdict', actionId: inFlight.id, verdict: verdict('fail') })).toEqual([]);
  });

  it('retries after a rollback as attempt 2, keeping the failed attempt’s history', () => {
    const d = new Driver();
    d.settle();
    d.wait(minute);
    d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('fail') });
    d.settle();
    d.feed({ type: 'command', command: 'retry', actor: 'alice', reason: 'fixed the N+1 query' });
    expect(d.state).toMatchObject({ attempt: 2, phase: 'deploying', failedInAttempt: false, step: 0 });
    expect(d.state.verdicts.map((v) => [v.attempt, v.verdict.outcome])).toEqual([[1, 'fail']]);
    expect(d.pending('deploy')!.id).toMatch(/^ro_1\/a2\/s0\/deploy\//);
    // The upgrade was rolled back: the new attempt takes it back to compat before its canary.
    expect(d.actions.filter((a) => a.kind === 'transition-upgrade').map((a) => a.kind === 'transition-upgrade' && a.event).slice(-2)).toEqual(['rollback', 'retry']);
    runToEnd(d);
    expect(d.state.phase).toBe('done');
  });

  it('asks the router again when setting the weights to 0 fails, and pauses when raising them fails', () => {
    const d = new Driver();
    d.feed({ type: 'deploy-finished', actionId: d.pending('deploy')!.id, ok: true, digest: 'sha256:x', evidence: '' });
    d.feed({ type: 'health', actionId: d.pending('wait-for-health')!.id, ok: true });
    d.feed({ type: 'weights-applied', actionId: d.pending('set-weights')!.id, ok: true, readBack: { canary: 0, baseline: 0 } });
    expect(d.state).toMatchObject({ phase: 'paused', pauseReason: 'weights-failed' });
    d.feed({ type: 'command', command: 'abort', actor: 'carol' });
    const first = d.pending('set-weights')!;
    d.feed({ type: 'weights-applied', actionId: first.id, ok: false, reason: 'connection refused' });
    const again = d.pending('set-weights')!;
    expect(again.id).not.toBe(first.id);
    expect(again).toMatchObject({ kind: 'set-weights', weights: { canary: 0, baseline: 0 } });
  });

  it('is deterministic and leaves its input alone', () => {
    const d = new Driver();
    d.settle();
    const frozen = JSON.stringify(d.state);
    const now = new Date(Date.parse(t0) + 2 * minute);
    const a = decide(d.state, [{ type: 'tick' }], now);
    const b = decide(d.state, [{ type: 'tick' }], now);
    expect(a).toEqual(b);
    expect(JSON.stringify(d.state)).toBe(frozen);
    expect(JSON.parse(JSON.stringify(a.state))).toEqual(a.state);
  });
});
