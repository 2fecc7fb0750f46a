import { describe, expect, it } from 'vitest';
import { gateEventsOf } from './notifications.js';
import type { RolloutUpdated } from './events.js';

const update = (phase: string, step: number): RolloutUpdated => ({ type: 'rollout.updated', rolloutId: 'rol_1', upgradeId: 'upg_1', service: 'checkout', attempt: 1, phase, step, weight: [5, 25, 50, 100][step]!, weights: { canary: 5, baseline: 0 }, decisions: [], at: '2026-12-01T09:00:00.000Z' });

describe('gate events of app events', () => {
  it('reports a rollout once per attempt, step and phase, skipping the transient phases', () => {
    const seen = new Map<string, string>();
    const types = [update('deploying', 0), update('analysing', 0), update('analysing', 0), update('awaiting-approval', 0), update('promoting', 1), update('analysing', 1), update('done', 3)].flatMap((e) => gateEventsOf(e, seen).map((g) => g.type));
    expect(types).toEqual(['rollout.step', 'gate.waiting', 'rollout.step', 'rollout.done']);
  });
  it('maps upgrade transitions to gate.opened on the path and to closed or rolled back off it', () => {
    const at = '2026-12-01T09:00:00.000Z';
    const of = (to: 'canary' | 'rejected' | 'rolled_back') => gateEventsOf({ type: 'upgrade.transitioned', upgradeId: 'upg_1', to, actor: 'a', reason: 'r', at }, new Map())[0]!.type;
    expect([of('canary'), of('rejected'), of('rolled_back')]).toEqual(['gate.opened', 'upgrade.closed', 'upgrade.rolled_back']);
  });
});
