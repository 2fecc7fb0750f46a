import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { compileWindows, windowVerdict, type WindowPolicy } from '../../src/governance/windows/policy.js';
import { decide, type Observation } from '../../src/rollout/engine/index.js';
import { Driver, minute, policy, verdict } from '../helpers/rollout.js';

/** The rollout engine's test driver, asking the change windows at each decision on its fake clock. */
class WindowDriver extends Driver {
  windows: WindowPolicy | undefined;

  override feed(...observations: Observation[]) {
    const before = this.state;
    const now = this.clock.now();
    const env = this.windows ? { window: windowVerdict(this.windows, { name: before.service, tier: 'critical', tags: [] }, now) } : {};
    const { state, actions } = decide(before, observations, now, env);
    this.history.push({ before, after: state, actions });
    this.state = state;
    this.actions.push(...actions);
    return actions;
  }

  goTo(iso: string): void {
    this.clock.advance(Date.parse(iso) - this.clock.now().getTime());
    this.feed({ type: 'tick' });
  }

  /** Analysis passes until the engine stops analysing (a gate, a window, the end). */
  passSteps(maxMinutes = 200): void {
    for (let i = 0; i < maxMinutes && this.state.phase === 'analysing'; i++) {
      this.wait(minute);
      const run = this.pending('run-analysis');
      if (run) this.feed({ type: 'verdict', actionId: run.id, verdict: verdict('pass') });
      this.settle();
    }
  }
}

const windowsOf = (yaml: string) => compileWindows(parseConfig(`version: 1\nwindows:\n${yaml}`, 'factory.yaml').windows);
const berlinNights = windowsOf('  allow:\n    - { name: nightly, cron: "0 2 * * *", duration: 2h, timeZone: Europe/Berlin }\n');
// Standard change (auto gates), steps of 50 minutes: 5 -> 25 -> 50 -> 100 takes more than one 2h window.
const slowStandard = policy('standard', { minDurationMs: 50 * minute, maxDurationMs: 300 * minute });

function startAt(iso: string, windows: WindowPolicy, options: ConstructorParameters<typeof Driver>[0] = { policy: slowStandard }): WindowDriver {
  const d = new WindowDriver(options);
  d.windows = windows;
  d.clock.advance(Date.parse(iso) - d.clock.now().getTime());
  return d;
}

describe('rollout engine and change windows (fake clock)', () => {
  it('Berlin, clocks forward: the canary waits for 03:00 CEST, auto gates never pass a closed window, and it resumes the next night by itself', () => {
    const d = startAt('2026-03-28T12:00:00Z', berlinNights);
    d.settle();
    expect(d.state.phase).toBe('awaiting-window');
    expect(d.state.weights.canary).toBe(0);
    expect(d.state.windowWait).toMatchObject({ step: 0, nextOpenAt: '2026-03-29T01:00:00.000Z' });
    expect(d.of('set-weights')).toEqual([]);
    expect(d.of('record-decision').at(-1)!.text).toContain('starting the canary at 5% waits for an allowed change window');

    d.goTo('2026-03-29T00:59:00Z'); // 01:59 CET, and 02:00 never comes this night
    expect(d.state.phase).toBe('awaiting-window');
    d.goTo('2026-03-29T01:00:00Z'); // 03:00 CEST: the window opens at the end of the gap
    expect(d.state.phase).toBe('promoting');
    expect(d.of('transition-upgrade').map((a) => a.event)).toEqual(['start_canary']);
    d.settle();
    d.passSteps();
    // 5%, 25% and 50% start in the window (01:00Z, ~01:51Z, ~02:42Z); 100% would start after 03:00Z: it waits, at 50%.
    expect(d.state.phase).toBe('awaiting-window');
    expect(d.state.weights.canary).toBe(50);
    expect(d.state.windowWait).toMatchObject({ step: 3, nextOpenAt: '2026-03-30T00:00:00.000Z' });
    expect(d.of('set-weights').map((a) => a.weights.canary)).toEqual([5, 25, 50]);
    // Analysis goes on while it waits.
    d.wait(minute);
    expect(d.pending('run-analysis')).toBeDefined();
    d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('pass') });
    expect(d.state.phase).toBe('awaiting-window');

    d.goTo('2026-03-30T00:00:00Z'); // 02:00 CEST the next night
    expect(d.state.phase).toBe('promoting');
    expect(d.state.weights.canary).toBe(100);
    d.settle();
    d.passSteps();
    expect(d.state.phase).toBe('done');
    expect(d.of('set-weights').map((a) => a.weights.canary)).toEqual([5, 25, 50, 100]);
  });

  it('Berlin, clocks back: a window opening at the first 02:00 CEST lasts two real hours, then promotions wait a day', () => {
    const d = startAt('2026-10-24T22:00:00Z', berlinNights);
    d.settle();
    expect(d.state.windowWait?.nextOpenAt).toBe('2026-10-25T00:00:00.000Z');
    d.goTo('2026-10-25T00:00:00Z');
    d.settle();
    d.passSteps();
    expect(d.state).toMatchObject({ phase: 'awaiting-window', weights: { canary: 50 } });
    expect(d.state.windowWait?.nextOpenAt).toBe('2026-10-26T01:00:00.000Z'); // 02:00 CET
    d.goTo('2026-10-26T00:59:00Z');
    expect(d.state.phase).toBe('awaiting-window');
    d.goTo('2026-10-26T01:00:00Z');
    expect(d.state.weights.canary).toBe(100);
  });

  it('New York: a freeze blocks an approved promotion until it ends, across the clocks going back', () => {
    const freeze = windowsOf('  blackouts:\n    - { name: audit, from: "2026-10-31T18:00", to: "2026-11-01T01:30", timeZone: America/New_York, reason: regulator audit }\n');
    const d = startAt('2026-10-31T21:00:00Z', freeze, { policy: policy('normal') });
    d.settle();
    expect(d.state.phase).toBe('analysing');
    d.passSteps();
    expect(d.state.phase).toBe('awaiting-approval');
    d.goTo('2026-10-31T22:30:00Z'); // 18:30 EDT: the audit has begun
    d.feed({ type: 'approval', by: 'bob', roles: ['approver'], decision: 'approve' });
    expect(d.state.phase).toBe('awaiting-window');
    expect(d.state.weights.canary).toBe(5);
    // 01:30 local is ambiguous that night: the first (EDT, 05:30Z) ends the freeze.
    expect(d.state.windowWait?.nextOpenAt).toBe('2026-11-01T05:30:00.000Z');
    expect(d.state.windowWait?.reason).toContain('regulator audit');
    d.goTo('2026-11-01T05:29:00Z');
    expect(d.state.phase).toBe('awaiting-window');
    d.goTo('2026-11-01T05:30:00Z');
    expect(d.state).toMatchObject({ phase: 'promoting', weights: { canary: 25 } });
  });

  it('a rollback is never held back by a closed window', () => {
    const d = startAt('2026-03-29T01:00:00Z', berlinNights);
    d.settle();
    d.passSteps();
    expect(d.state.phase).toBe('awaiting-window');
    d.wait(minute);
    d.feed({ type: 'verdict', actionId: d.pending('run-analysis')!.id, verdict: verdict('fail') });
    expect(d.state.phase).toBe('rolled-back');
    expect(d.state.weights.canary).toBe(0);
    expect(d.state.windowWait).toBeUndefined();
    expect(d.of('transition-upgrade').map((a) => a.event)).toContain('rollback');

    const aborted = startAt('2026-03-28T12:00:00Z', berlinNights);
    aborted.settle();
    aborted.feed({ type: 'command', command: 'abort', actor: 'carol', reason: 'not tonight' });
    expect(aborted.state.phase).toBe('aborted');
  });

  it('an override needs an approver or admin, not the initiator, and a reason; it lets one step through and is logged', () => {
    const d = startAt('2026-03-28T12:00:00Z', berlinNights);
    d.settle();
    const override = (by: string, roles: ('operator' | 'approver' | 'admin')[], reason: string) => d.feed({ type: 'window-override', by, roles, reason });
    override('alice', ['admin'], 'hotfix');
    override('carol', ['operator'], 'hotfix');
    override('bob', ['approver'], '  ');
    expect(d.state.phase).toBe('awaiting-window');
    const refusals = d.of('record-decision').filter((a) => a.evidence.refusal).map((a) => [a.owner, a.evidence.refusedAs]);
    expect(refusals).toEqual([
      ['alice', 'forbidden'],
      ['carol', 'forbidden'],
      ['bob', 'conflict'],
    ]);
    override('bob', ['approver'], 'INC-4711: the fix must ship before the morning peak');
    expect(d.state.phase).toBe('promoting');
    expect(d.state.windowOverrides).toEqual([{ attempt: 1, step: 0, by: 'bob', role: 'approver', reason: 'INC-4711: the fix must ship before the morning peak', at: '2026-03-28T12:00:00.000Z' }]);
    expect(d.of('record-decision').some((a) => a.owner === 'bob' && a.text.includes('overrode the closed change window') && a.text.includes('INC-4711'))).toBe(true);
    // The override covered the canary's start only: the next promotion waits for the window again.
    d.settle();
    d.passSteps();
    expect(d.state).toMatchObject({ phase: 'awaiting-window', weights: { canary: 5 }, windowWait: { step: 1 } });
    override('bob', ['approver'], 'again');
    expect(d.state.weights.canary).toBe(25);
    // Not waiting: refused.
    const before = d.of('record-decision').length;
    override('bob', ['approver'], 'nothing to override');
    expect(d.of('record-decision').slice(before).map((a) => a.evidence.refusedAs)).toEqual(['conflict']);
  });

  it('pausing while it waits holds the promotion after the window opens, until resumed', () => {
    const d = startAt('2026-03-28T12:00:00Z', berlinNights);
    d.settle();
    d.feed({ type: 'command', command: 'pause', actor: 'carol' });
    expect(d.state.phase).toBe('paused');
    d.goTo('2026-03-29T01:30:00Z');
    expect(d.state.phase).toBe('paused');
    expect(d.state.weights.canary).toBe(0);
    d.feed({ type: 'command', command: 'resume', actor: 'carol' });
    expect(d.state).toMatchObject({ phase: 'promoting', weights: { canary: 5 } });
    d.goTo('2026-03-29T12:00:00Z');
    expect(d.state.step).toBe(0);
  });
});
