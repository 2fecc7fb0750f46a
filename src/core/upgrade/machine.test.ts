import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../errors.js';
import { eventsFrom, isTerminal, recordEvidence, transition, type GatePolicy } from './machine.js';
import type { ChangeClass, EvidenceKind, Upgrade, UpgradeEvent, UpgradeState } from './types.js';
import { catchUfError } from '../../../test/helpers/errors.js';

const policy: GatePolicy = { rollbackDrillMaxAgeDays: 30 };
const t0 = Date.parse('2026-11-02T09:00:00Z');
let clock = 0;
const at = () => new Date(t0 + ++clock * 60_000).toISOString();

function upgrade(changeClass: ChangeClass = 'normal', state: UpgradeState = 'intake', weight = 0): Upgrade {
  return {
    id: 'upg_1',
    ecosystem: 'npm',
    name: 'lodash',
    purl: 'pkg:npm/lodash',
    fromVersions: ['4.17.15'],
    targetVersion: '4.17.21',
    services: ['checkout'],
    members: [{ ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash', fromVersions: ['4.17.15'], targetVersion: '4.17.21' }],
    changeClass,
    state,
    weight,
    createdBy: 'alice',
    createdAt: new Date(t0).toISOString(),
    updatedAt: new Date(t0).toISOString(),
    version: 1,
    evidence: [],
    postReviewRequired: false,
  };
}

let evidenceSeq = 0;
function add(u: Upgrade, kind: EvidenceKind, outcome: 'pass' | 'fail' = 'pass', by = 'bob', when = at()): Upgrade {
  return recordEvidence(u, { id: `ev_${++evidenceSeq}`, kind, outcome, ref: `ref:${kind}`, summary: kind, recordedBy: by, recordedAt: when }).upgrade;
}
function go(u: Upgrade, event: UpgradeEvent, actor = 'carol'): Upgrade {
  return transition(u, { event, actor, reason: 'test', at: at() }, policy).upgrade;
}

/** Drives an upgrade to the given state along the happy path. */
function reach(target: UpgradeState, changeClass: ChangeClass = 'normal'): Upgrade {
  let u = upgrade(changeClass);
  const steps: [UpgradeState, () => void][] = [
    ['triaged', () => (u = go(add(u, 'risk_score'), 'triage'))],
    ['compat', () => (u = go(add(u, 'release_notes_ack'), 'start_compat'))],
    ['canary', () => (u = go(add(add(add(u, 'compat_matrix'), 'rollback_drill'), 'change_authorized'), 'start_canary'))],
    ['progressive', () => (u = go(add(add(u, 'analysis'), 'approval'), 'promote'))],
  ];
  for (const [state, step] of steps) {
    if (u.state === target) return u;
    step();
    if (state === target) return u;
  }
  while (u.weight < 100) u = go(add(add(u, 'analysis'), 'approval'), 'promote');
  if (target === 'progressive') return u;
  u = go(add(u, 'analysis'), 'start_verification');
  if (target === 'verifying') return u;
  return go(add(u, 'verification'), 'complete');
}

const allStates: UpgradeState[] = ['intake', 'triaged', 'compat', 'canary', 'progressive', 'verifying', 'done', 'rejected', 'superseded', 'rolled_back'];
const allEvents: UpgradeEvent[] = ['triage', 'start_compat', 'start_canary', 'promote', 'start_verification', 'complete', 'rollback', 'retry', 'reject', 'supersede'];

describe('upgrade state machine', () => {
  it('walks the whole path for a normal change: 5 -> 25 -> 50 -> 100 -> verifying -> done', () => {
    const weights: number[] = [];
    let u = reach('canary');
    weights.push(u.weight);
    while (u.weight < 100) {
      u = go(add(add(u, 'analysis'), 'approval'), 'promote');
      weights.push(u.weight);
    }
    expect(weights).toEqual([5, 25, 50, 100]);
    u = go(add(go(add(u, 'analysis'), 'start_verification'), 'verification'), 'complete');
    expect(u.state).toBe('done');
    expect(u.postReviewRequired).toBe(false);
  });

  it('takes fewer steps for an emergency and requires a post-hoc review', () => {
    let u = reach('canary', 'emergency');
    u = go(add(add(u, 'analysis'), 'approval'), 'promote');
    expect(u.weight).toBe(50);
    u = go(add(add(u, 'analysis'), 'approval'), 'promote');
    expect(u.weight).toBe(100);
    u = go(add(go(add(u, 'analysis'), 'start_verification'), 'verification'), 'complete');
    expect(u.postReviewRequired).toBe(true);
  });

  it('follows the steps the rollout policy resolved, and refuses steps that do not rise to 100', () => {
    const steps = [10, 40, 100];
    const step = (u: Upgrade, event: UpgradeEvent) => transition(u, { event, actor: 'carol', reason: 'policy', at: at(), steps }, policy).upgrade;
    let u = step(add(add(add(reach('compat'), 'compat_matrix'), 'rollback_drill'), 'change_authorized'), 'start_canary');
    const weights = [u.weight];
    while (u.weight < 100) {
      u = step(add(add(u, 'analysis'), 'approval'), 'promote');
      weights.push(u.weight);
    }
    expect(weights).toEqual([10, 40, 100]);
    const ready = add(add(reach('canary'), 'analysis'), 'approval');
    for (const bad of [[5, 25, 50], [5, 50, 25, 100], [0, 100], [5, 120], []]) {
      const error = catchUfError(() => transition(ready, { event: 'promote', actor: 'carol', reason: 'r', at: at(), steps: bad }, policy));
      expect(error.message, JSON.stringify(bad)).toContain('must rise strictly within 1..100 and end at 100');
    }
  });

  it('auto-approves promotion of a standard change but still needs a passing analysis', () => {
    const u = reach('canary', 'standard');
    expect(catchUfError(() => go(u, 'promote')).message).toContain('no analysis evidence recorded in canary at 5%');
    expect(go(add(u, 'analysis'), 'promote').weight).toBe(25);
  });

  it('takes a rolled-back upgrade back to compat for a new attempt, where the canary gate applies again', () => {
    const u = reach('canary', 'standard');
    const back = transition(u, { event: 'rollback', actor: 'user:ops', reason: 'p95 regression', at: at() }, policy).upgrade;
    const again = transition(back, { event: 'retry', actor: 'user:ops', reason: 'fixed the N+1 query', at: at() }, policy);
    expect(again.upgrade).toMatchObject({ state: 'compat', weight: 0 });
    expect(again.log.action).toBe('upgrade.retry');
    expect(catchUfError(() => transition(back, { event: 'retry', actor: 'user:ops', reason: ' ', at: at() }, policy)).message).toContain('a reason is required');
  });

  it('accepts exactly the legal events from each state', () => {
    const legal: Record<UpgradeState, UpgradeEvent[]> = {
      intake: ['triage', 'reject', 'supersede'],
      triaged: ['start_compat', 'reject', 'supersede'],
      compat: ['start_canary', 'reject', 'supersede'],
      canary: ['promote', 'rollback', 'supersede'],
      progressive: ['promote', 'start_verification', 'rollback', 'supersede'],
      verifying: ['complete', 'rollback', 'supersede'],
      done: [],
      rejected: [],
      superseded: [],
      rolled_back: ['retry'],
    };
    for (const state of allStates) {
      expect(eventsFrom(state).sort()).toEqual([...legal[state]].sort());
      for (const event of allEvents.filter((e) => !legal[state].includes(e))) {
        const error = catchUfError(() => transition(upgrade('normal', state), { event, actor: 'x', reason: 'r', at: at() }, policy));
        expect(error.code, `${event} from ${state}`).toBe('illegal_transition');
        expect(error.message).toContain(`it is ${state}`);
      }
    }
  });

  it('refuses each gate without its evidence, naming what is missing', () => {
    expect(catchUfError(() => go(upgrade(), 'triage')).message).toContain('no risk_score evidence recorded in intake');
    expect(catchUfError(() => go(reach('triaged'), 'start_compat')).message).toContain('no release_notes_ack evidence');
    expect(catchUfError(() => go(add(reach('compat'), 'rollback_drill'), 'start_canary')).message).toContain('no compat_matrix evidence recorded in compat');
    expect(catchUfError(() => go(add(reach('compat'), 'compat_matrix'), 'start_canary')).message).toContain('no rollback_drill evidence');
    expect(catchUfError(() => go(add(add(reach('compat'), 'compat_matrix'), 'rollback_drill'), 'start_canary')).message).toContain('no change_authorized evidence');
    const voided = add(add(add(add(reach('compat'), 'compat_matrix'), 'rollback_drill'), 'change_authorized'), 'change_authorized', 'fail');
    expect(catchUfError(() => go(voided, 'start_canary')).message).toContain('latest change_authorized evidence is a fail');
    expect(catchUfError(() => go(add(reach('canary'), 'analysis'), 'promote')).message).toContain('no approval evidence recorded in canary at 5%');
    expect(catchUfError(() => go(reach('verifying'), 'complete')).message).toContain('no verification evidence recorded in verifying');
    expect(catchUfError(() => go(reach('triaged'), 'supersede')).message).toContain('no superseded_by evidence');
    for (const error of [catchUfError(() => go(upgrade(), 'triage'))]) expect(error.code).toBe('gate_refused');
  });

  it('refuses a gate whose latest evidence failed, even if an earlier one passed', () => {
    const u = add(add(add(reach('canary'), 'analysis', 'pass'), 'analysis', 'fail'), 'approval');
    expect(catchUfError(() => go(u, 'promote')).message).toMatch(/latest analysis evidence in canary at 5% is a fail/);
  });

  it('does not let a verdict from an earlier step promote a later one', () => {
    let u = reach('canary');
    u = add(add(u, 'analysis'), 'approval');
    u = go(u, 'promote');
    expect(u.weight).toBe(25);
    expect(catchUfError(() => go(u, 'promote')).message).toContain('no analysis evidence recorded in progressive at 25%');
  });

  it('enforces segregation of duties: the initiator cannot approve', () => {
    const u = add(reach('canary'), 'analysis');
    expect(catchUfError(() => add(u, 'approval', 'pass', 'alice')).message).toContain('alice started upgrade upg_1 and cannot approve it');
  });

  it('refuses a canary when the rollback drill is older than policy allows', () => {
    const old = new Date(t0 - 45 * 86_400_000).toISOString();
    const u = add(add(reach('compat'), 'compat_matrix'), 'rollback_drill', 'pass', 'bob', old);
    expect(catchUfError(() => go(u, 'start_canary')).message).toMatch(/rollback drill \(ev_\d+\) is 45 days old; policy allows 30/);
  });

  it('rolls back to 0% citing the failed analysis, from canary, progressive and verifying', () => {
    for (const state of ['canary', 'progressive', 'verifying'] as const) {
      const u = add(reach(state), state === 'verifying' ? 'verification' : 'analysis', 'fail');
      const result = transition(u, { event: 'rollback', actor: 'uf', reason: 'p95 breach', at: at() }, policy);
      expect(result.upgrade.state).toBe('rolled_back');
      expect(result.upgrade.weight).toBe(0);
      expect(result.log.evidenceRef).toBe(u.evidence.at(-1)?.id);
    }
  });

  it('requires a reason for every transition', () => {
    const u = add(upgrade(), 'risk_score');
    expect(catchUfError(() => transition(u, { event: 'triage', actor: 'x', reason: ' ', at: at() }, policy)).message).toContain('a reason is required');
  });

  it('refuses start_verification below 100% and promote beyond 100%', () => {
    const u = add(add(reach('canary'), 'analysis'), 'approval');
    expect(catchUfError(() => go(go(u, 'promote'), 'start_verification')).message).toContain('traffic is at 25%');
    let full = reach('progressive');
    while (full.weight < 100) full = go(add(add(full, 'analysis'), 'approval'), 'promote');
    expect(catchUfError(() => go(add(add(full, 'analysis'), 'approval'), 'promote')).message).toContain('nothing to promote to');
  });

  it('is pure: the input upgrade is not changed and the version is bumped', () => {
    const u = add(upgrade(), 'risk_score');
    const frozen = JSON.stringify(u);
    const result = transition(u, { event: 'triage', actor: 'x', reason: 'scored', at: at() }, policy);
    expect(JSON.stringify(u)).toBe(frozen);
    expect(result.upgrade.version).toBe(u.version + 1);
    expect(result.log).toMatchObject({ action: 'upgrade.triage', subject: 'upg_1', evidenceRef: u.evidence[0]?.id });
    expect(result.log.reason).toContain('intake -> triaged');
  });

  it('refuses evidence on a finished upgrade', () => {
    expect(catchUfError(() => add(reach('done'), 'analysis')).code).toBe('illegal_transition');
  });

  it('never reaches an inconsistent state under random events and evidence', () => {
    const kinds: EvidenceKind[] = ['risk_score', 'release_notes_ack', 'compat_matrix', 'rollback_drill', 'analysis', 'approval', 'verification', 'superseded_by'];
    const step = fc.oneof(
      fc.record({ event: fc.constantFrom(...allEvents) }),
      fc.record({ kind: fc.constantFrom(...kinds), pass: fc.boolean(), byInitiator: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.constantFrom<ChangeClass>('standard', 'normal', 'emergency'), fc.array(step, { maxLength: 60 }), (changeClass, steps) => {
        let u = upgrade(changeClass);
        for (const s of steps) {
          const before = u;
          try {
            u = 'event' in s ? go(u, s.event) : add(u, s.kind, s.pass ? 'pass' : 'fail', s.byInitiator ? 'alice' : 'bob');
          } catch (error) {
            expect(error).toBeInstanceOf(UfError);
            expect(u).toBe(before);
          }
          if (isTerminal(before.state)) expect(u).toBe(before);
          if (u.state === 'canary') expect(u.weight).toBe(5);
          if (u.state === 'progressive') expect([25, 50, 100]).toContain(u.weight);
          if (u.state === 'rolled_back' || ['intake', 'triaged', 'compat'].includes(u.state)) expect(u.weight).toBe(0);
          expect(u.evidence.every((e) => e.kind !== 'approval' || e.recordedBy !== 'alice')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
