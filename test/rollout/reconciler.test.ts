import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { thresholdJudgeSettingsSchema } from '../../src/config/sections/judges.js';
import { sampleDeployerSettingsSchema } from '../../src/config/sections/deployers.js';
import { steppingClock, type Clock } from '../../src/core/clock.js';
import type { GatePolicy } from '../../src/core/upgrade/index.js';
import type { SampleService } from '../../src/proxy/sample-service.js';
import { startRouterHost, type RouterHost } from '../../src/proxy/worker/host.js';
import { createThresholdJudge } from '../../src/rollout/analysis/judges/threshold/index.js';
import type { MetricProvider } from '../../src/rollout/analysis/providers/types.js';
import { createSampleDeployer, type SampleDeployer } from '../../src/rollout/deployers/sample/index.js';
import { finalPhases, type Action, type RolloutState } from '../../src/rollout/engine/index.js';
import { analysisRunner, beginRollout, reconcileOnce, rolloutLogAction, type ReconcilerDeps } from '../../src/rollout/reconciler/index.js';
import { getRollout, listActions } from '../../src/rollout/store/rollouts.js';
import type { Store } from '../../src/store/open.js';
import { readLog, verifyLog } from '../../src/store/repos/operation-log.js';
import { getUpgrade } from '../../src/store/repos/upgrades.js';
import type { Upstream } from '../../src/traffic/traffic-router.contract.js';
import { createInProcessBuiltinRouter } from '../../src/traffic/routers/builtin/in-process.js';
import { startVersions } from '../../src/traffic/routers/builtin/testing.js';
import type { TrafficRouter } from '../../src/traffic/types.js';
import { minute, policy } from '../helpers/rollout.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';
import { storeTargets, postgresSkipReason } from '../helpers/stores.js';

const gatePolicy: GatePolicy = { rollbackDrillMaxAgeDays: 30 };
const t0 = '2026-12-01T09:00:00.000Z';

/** Stands in for a metrics source: per-request latencies of each variant, the canary's set by the test. */
function simulatedLatency(canaryMs: () => number): MetricProvider<unknown> {
  return {
    id: 'simulated',
    measure(query) {
      const base = query.variant === 'canary' ? canaryMs() : 100;
      const samples = Array.from({ length: 50 }, (_, i) => base + (i % 10));
      return Promise.resolve({ ok: true, measurement: { metric: query.metric, variant: query.variant, window: query.window, samples, count: samples.length, source: { provider: 'simulated' } } });
    },
  };
}


for (const target of storeTargets) {
  describe.skipIf(target.skip)(`rollout reconciler (${target.dialect})${target.skip ? `: ${postgresSkipReason}` : ''}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let clock: Clock;
    let host: RouterHost;
    let versions: Record<Upstream, SampleService>;
    let router: TrafficRouter;
    let deployer: SampleDeployer;
    let canaryMs: number;
    let notified: string[];
    let upgradeId: string;

    beforeEach(async () => {
      // Every clock read moves 10 s on: the rollout's minutes pass in a few hundred reads.
      clock = steppingClock(t0, 10_000);
      ({ store, cleanup } = await target.open({ clock }));
      versions = await startVersions();
      host = await startRouterHost(
        [{ service: 'checkout', listen: { host: '127.0.0.1', port: 0 }, stable: versions.stable.url, canary: versions.canary.url, baseline: versions.baseline.url, canaryWeight: 0 }],
        { logger: pino({ level: 'silent' }) },
      );
      router = createInProcessBuiltinRouter(host.routers[0]!);
      deployer = createSampleDeployer(sampleDeployerSettingsSchema.parse({ service: 'checkout', health: { intervalMs: 50, timeoutMs: 10_000 } }));
      canaryMs = 100;
      notified = [];
      upgradeId = await upgradeAtCompat(store, { clock, changeClass: 'standard', createdBy: 'alice', actor: 'bob' });
    });

    afterEach(async () => {
      await deployer.close();
      await host.close();
      await Promise.all(Object.values(versions).map((v) => v.close()));
      await cleanup();
    });

    function deps(beforeRun?: (action: Action) => void): ReconcilerDeps {
      const judge = createThresholdJudge(thresholdJudgeSettingsSchema.parse({ kind: 'threshold', minSamples: 20, checks: [{ metric: 'p95_latency', aggregate: 'p95', max: 250, maxRatio: 1.5 }] }));
      return {
        deployer,
        router,
        analyse: analysisRunner({ slo: { judge, metrics: [{ metric: 'p95_latency', provider: simulatedLatency(() => canaryMs), settings: {} }] } }),
        notify: (service, text) => {
          notified.push(`${service}: ${text}`);
          return Promise.resolve();
        },
        versions: { fromVersion: '1.0.0', toVersion: '1.1.0' },
        gatePolicy,
        ...(beforeRun ? { beforeRun } : {}),
      };
    }

    async function begin(): Promise<string> {
      const state = await beginRollout(
        store,
        { rolloutId: 'ro_1', upgradeId, initiator: 'alice', baseline: false, policy: policy('standard', { minDurationMs: 2 * minute, maxDurationMs: 60 * minute, minSamples: 20, analysis: { name: 'slo', intervalMs: minute } }) },
        clock,
      );
      return state.rolloutId;
    }

    /** Calls the reconciler until the rollout ends; a call that crashes is retried by a "new process". */
    async function drive(id: string, make: () => ReconcilerDeps, crashes: { count: number } = { count: 0 }): Promise<RolloutState> {
      for (let i = 0; i < 300; i++) {
        try {
          const report = await reconcileOnce(store, id, make(), clock);
          if (finalPhases.includes(report.state.phase) && report.ran.length === 0) return report.state;
        } catch (error) {
          if (!(error instanceof Error) || !error.message.startsWith('injected crash')) throw error;
          crashes.count += 1;
        }
      }
      throw new Error(`rollout ${id} did not end: ${JSON.stringify((await getRollout(store.db, id))?.state.phase)}`);
    }

    async function decisionsOf(id: string) {
      const entries = [];
      for await (const entry of readLog(store.db, { subject: id })) if (entry.action === rolloutLogAction) entries.push(entry);
      return entries;
    }

    it('drives a healthy canary from 5% to 100% and moves the upgrade to verification', async () => {
      const id = await begin();
      const state = await drive(id, () => deps());
      expect(state.phase).toBe('done');
      expect(state.weights).toEqual({ canary: 100, baseline: 0 });
      expect((await router.verifyWeight()).canary).toBe(100);
      const upgrade = (await getUpgrade(store.db, upgradeId))!;
      expect(upgrade.state).toBe('verifying');
      expect(upgrade.weight).toBe(100);
      expect(upgrade.evidence.filter((e) => e.kind === 'analysis' && e.outcome === 'pass').map((e) => e.weight)).toEqual([5, 25, 50, 100]);
      expect(state.deployed[0]!.digest).toMatch(/^sha256:/);
      const actions = await listActions(store.db, id);
      expect(actions.filter((a) => a.status === 'pending')).toEqual([]);
      const decisions = await decisionsOf(id);
      expect(decisions.some((d) => d.reason.includes('rollout complete at 100%'))).toBe(true);
      expect(new Set(decisions.map((d) => d.evidenceRef)).size).toBe(decisions.length);
      expect((await verifyLog(store.db)).ok).toBe(true);
    });

    it('rolls a failing canary back: weights 0, upgrade rolled_back, evidence in the log, owner notified', async () => {
      canaryMs = 400;
      const id = await begin();
      const state = await drive(id, () => deps());
      expect(state.phase).toBe('rolled-back');
      expect(state.weights).toEqual({ canary: 0, baseline: 0 });
      const read = await router.verifyWeight();
      expect(read.canary).toBe(0);
      expect(read.stable).toBe(100);
      const upgrade = (await getUpgrade(store.db, upgradeId))!;
      expect(upgrade.state).toBe('rolled_back');
      const failed = upgrade.evidence.find((e) => e.kind === 'analysis' && e.outcome === 'fail');
      expect(failed?.summary).toContain('threshold');
      expect(state.verdicts.at(-1)!.verdict.outcome).toBe('fail');
      const decisions = await decisionsOf(id);
      const rollback = decisions.find((d) => d.reason.includes('failed at 5%'));
      expect(rollback?.reason).toContain('upgrade rolled back');
      const evidence = (await listActions(store.db, id)).find((a) => a.id === rollback!.evidenceRef)!.action;
      expect(evidence.kind === 'record-decision' && evidence.evidence.verdict?.outcome).toBe('fail');
      expect(notified.some((n) => n.includes('upgrade rolled back'))).toBe(true);
      // The canary was removed once no traffic reached it.
      expect(deployer.running('canary')).toBeUndefined();
      expect((await verifyLog(store.db)).ok).toBe(true);
    });

    it('resumes after crashes between storing a decision and running its actions, deciding nothing twice', async () => {
      const id = await begin();
      // Crash once at the first action of each of these kinds, after its decision was stored.
      const crashAt = new Set<string>(['set-weights', 'run-analysis', 'transition-upgrade', 'record-evidence', 'promote-deployment']);
      const crashes = { count: 0 };
      let forgot = 0;
      const make = () =>
        deps((action) => {
          if (!crashAt.delete(action.kind)) return;
          throw new Error(`injected crash before ${action.id}`);
        });
      // A router restart while no reconciler runs: it forgets its weights.
      let state: RolloutState | undefined;
      for (let i = 0; i < 300 && !state; i++) {
        try {
          const report = await reconcileOnce(store, id, make(), clock);
          if ('applied' in report.reapplied && report.reapplied.applied) forgot += 1;
          if (finalPhases.includes(report.state.phase) && report.ran.length === 0) state = report.state;
          else if (i === 20) await router.setWeights({ canary: 0 });
        } catch (error) {
          if (!(error instanceof Error) || !error.message.startsWith('injected crash')) throw error;
          crashes.count += 1;
        }
      }
      expect(crashes.count).toBe(5);
      expect(crashAt.size).toBe(0);
      expect(forgot).toBeGreaterThanOrEqual(1);
      expect(state?.phase).toBe('done');
      expect((await router.verifyWeight()).canary).toBe(state!.weights.canary);
      const upgrade = (await getUpgrade(store.db, upgradeId))!;
      expect(upgrade.state).toBe('verifying');
      // One evidence per step: no analysis was recorded twice.
      expect(upgrade.evidence.filter((e) => e.kind === 'analysis').map((e) => e.weight)).toEqual([5, 25, 50, 100]);
      const decisions = await decisionsOf(id);
      expect(new Set(decisions.map((d) => d.evidenceRef)).size).toBe(decisions.length);
      // Every decided action ran once and is finished; one decision per entry.
      const actions = await listActions(store.db, id);
      expect(actions.filter((a) => a.status === 'pending')).toEqual([]);
      expect(actions.filter((a) => a.action.kind === 'record-decision').length).toBe(decisions.length);
      expect((await verifyLog(store.db)).ok).toBe(true);
    });

    it('refuses a second reconciler while one holds the rollout lease', async () => {
      const id = await begin();
      let second: Promise<unknown> | undefined;
      const first = reconcileOnce(
        store,
        id,
        deps(() => {
          second ??= reconcileOnce(store, id, deps(), clock).catch((error: unknown) => error);
        }),
        clock,
        { maxRounds: 1 },
      );
      await first;
      const error = await second;
      expect(error).toMatchObject({ code: 'conflict' });
      expect((error as Error).message).toContain('rollout:ro_1');
    });
  });
}
