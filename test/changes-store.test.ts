import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changesSchema } from '../src/config/sections/changes.js';
import { fixedClock } from '../src/core/clock.js';
import { UfError } from '../src/core/errors.js';
import { transition } from '../src/core/upgrade/index.js';
import { beginImplementation, changeView, decideChange, editChange, openChange, type ChangeDeps } from '../src/governance/changes/service.js';
import type { Store } from '../src/store/open.js';
import { addEvidence, getUpgrade } from '../src/store/repos/upgrades.js';
import { postgresSkipReason, storeTargets } from './helpers/stores.js';
import { upgradeInCompat } from './helpers/upgrades.js';

/** The change records' rules on each store: approvals, voiding on a scope edit, the canary gate, concurrent decisions. */
for (const target of storeTargets) {
  describe.skipIf(target.skip)(`change records on ${target.dialect}${target.skip ? ` (${postgresSkipReason})` : ''}`, () => {
    const clock = fixedClock('2026-12-01T09:00:00.000Z');
    let store: Store;
    let cleanup: () => Promise<void>;
    let deps: ChangeDeps;
    beforeEach(async () => {
      ({ store, cleanup } = await target.open({ clock }));
      deps = { store, policy: changesSchema.parse({ board: { members: [], quorum: 2 } }) };
    });
    afterEach(() => cleanup());

    /** An upgrade in compat with its matrix passed: only its change stands between it and the canary. */
    const ready = async () => {
      const id = await upgradeInCompat(store, { clock, services: ['checkout'], authorize: false, actor: 'user:olga' });
      await addEvidence(store, id, (await getUpgrade(store.db, id))!.version, { kind: 'compat_matrix', outcome: 'pass', ref: 'ref:compat', summary: 'compat', recordedBy: 'user:olga', recordedAt: clock.now().toISOString() });
      return id;
    };
    const canaryGate = async (id: string) => {
      const upgrade = (await getUpgrade(store.db, id))!;
      try {
        transition(upgrade, { event: 'start_canary', actor: 'user:olga', reason: 'check', at: clock.now().toISOString(), steps: [5, 100] }, { rollbackDrillMaxAgeDays: 30 });
        return 'open';
      } catch (error) {
        return error instanceof UfError ? error.message : String(error);
      }
    };

    it('authorizes at quorum, voids on a scope edit and closes the gate until approved again; a wording edit keeps approvals', async () => {
      const id = await ready();
      const opened = await openChange(deps, id, 'user:olga');
      expect(await openChange(deps, id, 'user:someone')).toMatchObject({ id: opened.id, requestedBy: 'user:olga' });
      await decideChange(deps, id, { by: 'user:a', roles: ['approver'], decision: 'approve' });
      expect(await canaryGate(id)).toContain('change_authorized');
      const authorized = await decideChange(deps, id, { by: 'user:b', roles: ['approver'], decision: 'approve' });
      expect(authorized.status).toBe('authorized');
      expect(await canaryGate(id)).toBe('open');

      const worded = await editChange(deps, id, { testPlan: 'Also run the smoke suite.' }, 'user:olga');
      expect(worded).toMatchObject({ status: 'authorized', approvalsGiven: 2, scopeDigest: authorized.scopeDigest });

      const moved = await editChange(deps, id, { plannedStart: '2026-12-03T22:00:00Z', plannedEnd: '2026-12-04T02:00:00Z' }, 'user:olga');
      expect(moved).toMatchObject({ status: 'awaiting-approval', approvalsGiven: 0, plannedStart: '2026-12-03T22:00:00.000Z' });
      expect(moved.approvals.every((a) => a.voidedAt !== null && a.voidReason?.includes('plannedStart'))).toBe(true);
      expect(await canaryGate(id)).toContain('change_authorized');
      await decideChange(deps, id, { by: 'user:a', roles: ['approver'], decision: 'approve', scopeDigest: moved.scopeDigest });
      await decideChange(deps, id, { by: 'user:c', roles: ['approver'], decision: 'approve', scopeDigest: moved.scopeDigest });
      expect(await canaryGate(id)).toBe('open');
      await expect(beginImplementation(deps, id, 'user:c')).rejects.toThrow('user:c approved it and cannot also start its rollout');
      await beginImplementation(deps, id, 'user:ivan');
      expect((await changeView(deps, id)).implementer).toBe('user:ivan');
    });

    it('records one decision per person when the same approval arrives twice at once', async () => {
      const id = await upgradeInCompat(store, { clock, services: ['checkout'], authorize: false, actor: 'user:olga' });
      await openChange(deps, id, 'user:olga');
      const both = await Promise.allSettled([0, 1].map(() => decideChange(deps, id, { by: 'user:a', roles: ['approver'], decision: 'approve' })));
      expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await changeView(deps, id)).approvals.filter((a) => a.by === 'user:a')).toHaveLength(1);
    });

    it('rejects with a reason only, and a rejection closes the gate', async () => {
      const id = await ready();
      await openChange(deps, id, 'user:olga');
      await expect(decideChange(deps, id, { by: 'user:a', roles: ['approver'], decision: 'reject' })).rejects.toThrow('a rejection needs a reason');
      expect((await decideChange(deps, id, { by: 'user:a', roles: ['approver'], decision: 'reject', reason: 'no backout test' })).status).toBe('rejected');
      expect(await canaryGate(id)).toContain('change_authorized');
    });
  });
}
