import { afterEach, describe, expect, it } from 'vitest';
import { driveReducerOnly, driveWithStore, planRollouts, prepareUpgrades, simulationStart, type SimulationOptions } from '../bench/engine/simulation.js';
import { fixedClock } from '../src/core/clock.js';
import { getRollout } from '../src/rollout/store/rollouts.js';
import { readLog, verifyLog } from '../src/store/repos/operation-log.js';
import { getUpgrade } from '../src/store/repos/upgrades.js';
import { postgresSkipReason, storeTargets } from './helpers/stores.js';

// Guards bench/engine.ts against rot: its simulation must still take every rollout to its end.
// No timing is asserted here; the bench prints its figures.

const options = (overrides: Partial<SimulationOptions> = {}): SimulationOptions => ({ rollouts: 20, failShare: 0.25, sweepMs: 30_000, concurrency: 4, seed: 9, baseline: false, ...overrides });

for (const target of storeTargets) {
  describe.skipIf(target.skip)(`engine bench simulation (${target.dialect})${target.skip ? `: ${postgresSkipReason}` : ''}`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });

    for (const baseline of [false, true]) {
      it(`runs every rollout to done or rolled back${baseline ? ', with a fresh baseline,' : ''} and agrees with the reducer-only reference`, async () => {
        const settings = options({ baseline, rollouts: baseline ? 8 : 20, seed: baseline ? 3 : 9 });
        const plan = planRollouts(settings);
        expect(plan.failures.size).toBeGreaterThan(0);
        expect(plan.failures.size).toBeLessThan(settings.rollouts);
        const clock = fixedClock(simulationStart);
        const opened = await target.open({ clock });
        cleanup = opened.cleanup;
        const { store } = opened;
        const upgrades = await prepareUpgrades(store, plan.rollouts, clock);
        const run = await driveWithStore(store, plan, upgrades, clock, { ...settings, maxSweeps: 200 });

        for (const r of plan.rollouts) {
          const failing = plan.failures.has(r.rolloutId);
          expect(run.phases.get(r.rolloutId), r.rolloutId).toBe(failing ? 'rolled-back' : 'done');
          const stored = (await getRollout(store.db, r.rolloutId))!;
          expect(stored.state.phase).toBe(failing ? 'rolled-back' : 'done');
          expect(stored.state.weights).toEqual(failing ? { canary: 0, baseline: 0 } : { canary: 100, baseline: 0 });
          if (failing) expect(stored.state.verdicts.at(-1)!.step).toBe(r.failAtStep);
          const upgrade = (await getUpgrade(store.db, upgrades.get(r.rolloutId)!))!;
          expect(upgrade.state).toBe(failing ? 'rolled_back' : 'verifying');
        }
        const report = await verifyLog(store.db);
        expect(report.ok).toBe(true);
        let decisions = 0;
        for await (const entry of readLog(store.db)) if (entry.action === 'rollout.decision') decisions++;
        expect(decisions).toBeGreaterThanOrEqual(settings.rollouts * 5);
        // A rollout needs at least its four steps' minimum durations (5 min each).
        expect(run.simulatedMs).toBeGreaterThanOrEqual(20 * 60_000);
        expect(run.callMs.length).toBe(run.sweeps.reduce((n, sweep) => n + sweep.calls, 0));

        const reference = driveReducerOnly(plan, settings);
        expect(reference.phases).toEqual(run.phases);
        expect(reference.decisions).toBe(run.decisions);
      });
    }
  });
}
