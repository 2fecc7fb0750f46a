import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planMatrix } from '../../src/compat/plan.js';
import { parseConfig } from '../../src/config/load.js';
import { fixedClock } from '../../src/core/clock.js';
import { UfError } from '../../src/core/errors.js';
import type { Store } from '../../src/store/open.js';
import { reviewPatch, withReviewChecks } from '../../src/verify/reviews/checks.js';
import { addAction, completeAction, lessonsFor, openReview, showReview } from '../../src/verify/reviews/service.js';
import { storeTargets } from '../helpers/stores.js';
import { seedDoraHistory } from './dora-history.js';

const config = parseConfig('version: 1\ncompat:\n  checks:\n    - id: unit-tests\n      kind: command\n      argv: [npm, test]\n', 'factory.yaml');
const configIds = config.compat.checks.map((c) => c.id);

async function refusal(promise: Promise<unknown>): Promise<UfError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UfError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

for (const target of storeTargets) {
  describe.skipIf(target.skip)(`post-implementation reviews (${target.dialect})`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await target.open({ clock: fixedClock('2026-12-02T00:00:00Z') }));
      await seedDoraHistory(store);
      // The seeded log moved U1 to done; its row is set to match (the seed writes the log only).
      await store.db.updateTable('upgrades').set({ state: 'done', weight: 100 }).where('id', '=', 'upg_u1').execute();
    });
    afterAll(async () => cleanup?.());

    it('a review records what went well and what did not, for an upgrade that reached production only', async () => {
      expect((await refusal(openReview(store, 'upg_u6', { wentWell: 'x', wentBadly: 'y' }, 'user:alice'))).code).toBe('conflict');
      const review = await openReview(store, 'upg_u1', { wentWell: 'canary caught nothing; fast', wentBadly: 'the payment smoke test was manual' }, 'user:alice');
      expect(review).toMatchObject({ upgradeId: 'upg_u1', openedBy: 'user:alice', actions: [] });
      expect((await showReview(store, review.id)).wentBadly).toBe('the payment smoke test was manual');
    });

    it('actions of each kind, checked for their kind, feed the next upgrade of the service', async () => {
      const check = await addAction(store, 'upg_u1', { kind: 'compat-check', service: 'checkout', title: 'automate the payment smoke test', owner: 'user:bob', due: '2026-12-10', check: { id: 'payment-smoke', kind: 'command', argv: ['npm', 'run', 'smoke:payment'], tags: ['payment'] } }, 'user:alice', configIds);
      expect(check.detail).toMatchObject({ kind: 'compat-check', check: { id: 'payment-smoke', services: ['checkout'], required: true } });
      expect(reviewPatch(check)).toContain('compat:\n  checks:\n    - id: payment-smoke');
      const bad = await refusal(addAction(store, 'upg_u1', { kind: 'compat-check', service: 'checkout', title: 't', owner: 'user:bob', due: '2026-12-10', check: { id: 'x', kind: 'comand' } }, 'user:alice', configIds));
      expect([bad.code, bad.location?.path]).toEqual(['import_invalid', 'check.kind']);
      const clash = await refusal(addAction(store, 'upg_u1', { kind: 'compat-check', service: 'checkout', title: 't', owner: 'user:bob', due: '2026-12-10', check: { id: 'unit-tests', kind: 'command', argv: ['true'] } }, 'user:alice', configIds));
      expect(clash.message).toMatch(/factory.yaml already has a compat check unit-tests/);
      const noTo = await refusal(addAction(store, 'upg_u1', { kind: 'threshold', service: 'checkout', title: 't', owner: 'user:bob', due: '2026-12-10', analysis: 'latency', metric: 'p95' }, 'user:alice', configIds));
      expect(noTo.location?.path).toBe('to');
      const threshold = await addAction(store, 'upg_u1', { kind: 'threshold', service: 'checkout', title: 'tighten p95', owner: 'user:carol', due: '2026-11-30', analysis: 'latency', metric: 'p95', from: 'p(95)<400', to: 'p(95)<250' }, 'user:alice', configIds);
      const item = await addAction(store, 'upg_u1', { kind: 'checklist', service: 'checkout', title: 'warm the cache before 25%', owner: 'user:bob', due: '2026-12-20' }, 'user:alice', configIds);

      // U5 is the next upgrade of checkout: it sees all three (the threshold overdue on 12-02); U1 sees none of its own; U3 (search) none.
      const lessons = await lessonsFor(store, 'upg_u5');
      const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
      expect(lessons.map((l) => [l.action.id, l.fromUpgrade, l.overdue]).sort(byId)).toEqual([[check.id, 'upg_u1', false], [threshold.id, 'upg_u1', true], [item.id, 'upg_u1', false]].sort(byId));
      expect(await lessonsFor(store, 'upg_u1')).toEqual([]);
      expect(await lessonsFor(store, 'upg_u3')).toEqual([]);

      // Done: only the owner (or an admin); a done checklist item leaves the next view, a done compat check stays in the matrix.
      expect((await refusal(completeAction(store, item.id, { actor: 'user:mallory', admin: false }, null))).code).toBe('forbidden');
      await completeAction(store, item.id, { actor: 'user:bob', admin: false }, 'in the runbook');
      await completeAction(store, check.id, { actor: 'user:bob', admin: false }, null);
      expect((await refusal(completeAction(store, check.id, { actor: 'user:bob', admin: false }, null))).code).toBe('conflict');
      expect((await lessonsFor(store, 'upg_u5')).map((l) => l.action.id).sort()).toEqual([check.id, threshold.id].sort());
    });

    it('the compat plan of the next checkout upgrade runs the check a review added, on checkout only', async () => {
      const checkout = await withReviewChecks(store.db, config.compat, ['checkout']);
      expect(checkout.compat.checks.map((c) => c.id)).toEqual(['unit-tests', 'payment-smoke']);
      const plan = planMatrix({ upgradeId: 'upg_next', components: [{ ecosystem: 'npm', name: 'lib', fromVersions: ['1.0.0'], targetVersion: '1.0.1' }], services: ['checkout', 'search'], compat: checkout.compat, baseDir: '/tmp' });
      expect(plan.cells.map((c) => `${c.consumerId}×${c.checkId}`).sort()).toEqual(['checkout×payment-smoke', 'checkout×unit-tests', 'search×unit-tests']);
      // Tagged payment: it runs in the fail-fast phase.
      expect(plan.checks.find((c) => c.id === 'payment-smoke')?.phase).toBe(0);
      expect((await withReviewChecks(store.db, config.compat, ['search'])).added).toEqual([]);
    });
  });
}
