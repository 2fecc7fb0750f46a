import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleDeployerSettingsSchema } from '../../src/config/sections/deployers.js';
import { statisticalJudgeSettingsSchema, thresholdJudgeSettingsSchema } from '../../src/config/sections/judges.js';
import { metricSourceSchema } from '../../src/config/sections/metrics.js';
import type { ResolvedVerification } from '../../src/config/sections/rollout-verification.js';
import { steppingClock, type Clock } from '../../src/core/clock.js';
import type { SampleService } from '../../src/proxy/sample-service.js';
import { startRouterHost, type RouterHost } from '../../src/proxy/worker/host.js';
import { createJudge } from '../../src/rollout/analysis/judges/registry.js';
import { createThresholdJudge } from '../../src/rollout/analysis/judges/threshold/index.js';
import type { MetricProvider } from '../../src/rollout/analysis/providers/types.js';
import type { MeasurementResult, Variant } from '../../src/rollout/analysis/types.js';
import { createSampleDeployer, type SampleDeployer } from '../../src/rollout/deployers/sample/index.js';
import { finalPhases, type RolloutState } from '../../src/rollout/engine/index.js';
import { analysisRunner, beginRollout, reconcileOnce, type ReconcilerDeps } from '../../src/rollout/reconciler/index.js';
import { getRollout, listActions } from '../../src/rollout/store/rollouts.js';
import type { Store } from '../../src/store/open.js';
import { verifyLog } from '../../src/store/repos/operation-log.js';
import { getUpgrade } from '../../src/store/repos/upgrades.js';
import { createInProcessBuiltinRouter } from '../../src/traffic/routers/builtin/in-process.js';
import { startVersions } from '../../src/traffic/routers/builtin/testing.js';
import type { Upstream } from '../../src/traffic/traffic-router.contract.js';
import type { TrafficRouter } from '../../src/traffic/types.js';
import { baselineComparison } from '../../src/verify/baselines/index.js';
import { verificationRunners } from '../../src/verify/verification.js';
import { minute, policy } from '../helpers/rollout.js';
import { postgresSkipReason, storeTargets } from '../helpers/stores.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';

const t0 = '2026-12-01T09:00:00.000Z';
const latencySource = metricSourceSchema.parse({ kind: 'prometheus', url: 'http://127.0.0.1:9090', query: 'p95{variant="{{variant}}"}', mode: 'range' });

/** Per-request latencies around `level` ms, 50 of them: what a metrics source would give for one window. */
function latencies(metric: string, variant: Variant, window: { start: string; end: string }, level: number): MeasurementResult {
  const samples = Array.from({ length: 50 }, (_, i) => level + (i % 10));
  return { ok: true, measurement: { metric, variant, window, samples, count: samples.length, source: { provider: 'simulated' } } };
}

function verificationPolicy(onRegression: ResolvedVerification['onRegression']): ResolvedVerification {
  return {
    windowMs: 10 * minute,
    intervalMs: 2 * minute,
    baselineWindowMs: 30 * minute,
    onRegression,
    checks: [{ analysis: 'slo' }],
    baseline: {
      metrics: [{ name: 'p95_latency', source: latencySource }],
      judge: statisticalJudgeSettingsSchema.parse({ kind: 'statistical', metrics: [{ metric: 'p95_latency', direction: 'increase' }] }),
    },
  };
}

for (const target of storeTargets) {
  describe.skipIf(target.skip)(`verification after 100% through the reconciler (${target.dialect})${target.skip ? `: ${postgresSkipReason}` : ''}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let clock: Clock;
    let host: RouterHost;
    let versions: Record<Upstream, SampleService>;
    let router: TrafficRouter;
    let deployer: SampleDeployer;
    /** The new version's latency once it has all the traffic; 100 ms is the old version's. */
    let afterMs: number;
    let notified: string[];
    let upgradeId: string;

    beforeEach(async () => {
      clock = steppingClock(t0, 10_000);
      ({ store, cleanup } = await target.open({ clock }));
      versions = await startVersions();
      host = await startRouterHost(
        [{ service: 'checkout', listen: { host: '127.0.0.1', port: 0 }, stable: versions.stable.url, canary: versions.canary.url, baseline: versions.baseline.url, canaryWeight: 0 }],
        { logger: pino({ level: 'silent' }) },
      );
      router = createInProcessBuiltinRouter(host.routers[0]!);
      deployer = createSampleDeployer(sampleDeployerSettingsSchema.parse({ service: 'checkout', health: { intervalMs: 50, timeoutMs: 10_000 } }));
      afterMs = 100;
      notified = [];
      upgradeId = await upgradeAtCompat(store, { clock, changeClass: 'standard', createdBy: 'alice', actor: 'bob' });
    });

    afterEach(async () => {
      await deployer.close();
      await host.close();
      await Promise.all(Object.values(versions).map((v) => v.close()));
      await cleanup();
    });

    function deps(beforeRun?: ReconcilerDeps['beforeRun']): ReconcilerDeps {
      // The steps' analysis (and the verification's production check): p95 of the canary below 250 ms.
      const judge = createThresholdJudge(thresholdJudgeSettingsSchema.parse({ kind: 'threshold', minSamples: 20, checks: [{ metric: 'p95_latency', aggregate: 'p95', max: 250, maxRatio: 1.5 }] }));
      const steps: MetricProvider<unknown> = { id: 'simulated', measure: (q) => Promise.resolve(latencies(q.metric, q.variant, q.window, 100)) };
      const analyses = { slo: { judge, metrics: [{ metric: 'p95_latency', provider: steps, settings: {} }] } };
      const runners = verificationRunners(analyses, {
        db: store.db,
        clock,
        judges: createJudge,
        // Before the rollout the stable version answers in ~100 ms; after it, the new one in `afterMs`.
        measure: (q) => Promise.resolve(latencies(q.metric, q.variant, q.window, q.variant === 'stable' ? 100 : afterMs)),
      });
      return {
        deployer,
        router,
        analyse: analysisRunner(analyses),
        ...runners,
        notify: (service, text) => (notified.push(`${service}: ${text}`), Promise.resolve()),
        versions: { fromVersion: '1.0.0', toVersion: '1.1.0' },
        gatePolicy: { rollbackDrillMaxAgeDays: 30 },
        ...(beforeRun ? { beforeRun } : {}),
      };
    }

    async function begin(onRegression: ResolvedVerification['onRegression']): Promise<string> {
      const base = policy('standard', { minDurationMs: 2 * minute, maxDurationMs: 60 * minute, minSamples: 20, analysis: { name: 'slo', intervalMs: minute } });
      const state = await beginRollout(store, { rolloutId: 'ro_v', upgradeId, initiator: 'alice', baseline: false, policy: { ...base, verification: verificationPolicy(onRegression) } }, clock);
      return state.rolloutId;
    }

    /** Reconciles until the rollout ends or waits for a person. */
    async function drive(id: string, beforeRun?: ReconcilerDeps['beforeRun']): Promise<RolloutState> {
      for (let i = 0; i < 400; i++) {
        try {
          const report = await reconcileOnce(store, id, deps(beforeRun), clock);
          if ((finalPhases.includes(report.state.phase) || report.state.phase === 'paused') && report.ran.length === 0) return report.state;
        } catch (error) {
          if (!(error instanceof Error) || !error.message.startsWith('injected crash')) throw error;
        }
      }
      throw new Error(`rollout ${id} did not end: ${JSON.stringify((await getRollout(store.db, id))?.state.phase)}`);
    }

    it('verifies for the window after 100% and completes the upgrade when nothing regressed', async () => {
      const id = await begin('alert');
      const state = await drive(id);
      expect(state.phase).toBe('done');
      expect(state.verification!.outcome).toBe('passed');
      expect(state.verification!.capture?.captured).toEqual(['p95_latency']);
      expect(Date.parse(state.verification!.results.at(-1)!.window.end) - Date.parse(state.verification!.startedAt!)).toBeGreaterThanOrEqual(10 * minute);
      const upgrade = (await getUpgrade(store.db, upgradeId))!;
      expect(upgrade.state).toBe('done');
      expect(upgrade.evidence.filter((e) => e.kind === 'verification').map((e) => e.outcome)).toEqual(['pass']);
      expect((await router.verifyWeight()).canary).toBe(100);
      const comparison = await baselineComparison(store.db, upgradeId);
      expect(comparison.metrics.map((m) => [m.metric, m.classification])).toEqual([['p95_latency', 'pass']]);
      expect(comparison.metrics[0]!.before.samples).toBe(50);
      expect((await listActions(store.db, id)).filter((a) => a.status === 'pending')).toEqual([]);
      expect((await verifyLog(store.db)).ok).toBe(true);
    });

    it('resumes verification after a crash before each of its actions, deciding and measuring each once', async () => {
      const id = await begin('alert');
      const crashed = new Set<string>();
      const state = await drive(id, (action) => {
        if ((action.kind === 'run-verification' || action.kind === 'capture-baseline' || (action.kind === 'transition-upgrade' && action.event === 'complete')) && !crashed.has(action.id)) {
          crashed.add(action.id);
          throw new Error(`injected crash before ${action.id}`);
        }
      });
      expect(crashed.size).toBeGreaterThan(5);
      expect(state.phase).toBe('done');
      const upgrade = (await getUpgrade(store.db, upgradeId))!;
      expect(upgrade.state).toBe('done');
      expect(upgrade.evidence.filter((e) => e.kind === 'verification')).toHaveLength(1);
      // One before-window and one slice per round, each stored once.
      const samples = await store.db.selectFrom('baseline_samples').select(['phase', 'action_id']).where('rollout_id', '=', id).execute();
      expect(samples.filter((r) => r.phase === 'before')).toHaveLength(1);
      expect(samples.filter((r) => r.phase === 'after')).toHaveLength(state.verification!.round);
      expect(state.verification!.results.filter((r) => r.check === 'before-after')).toHaveLength(state.verification!.round);
      expect((await verifyLog(store.db)).ok).toBe(true);
    });

    it('keeps the upgrade in verifying and alerts the owner when p95 doubled against the before-window', async () => {
      afterMs = 200;
      const id = await begin('alert');
      const state = await drive(id);
      expect(state.phase).toBe('paused');
      expect(state.pauseReason).toBe('regression');
      const upgrade = (await getUpgrade(store.db, upgradeId))!;
      expect(upgrade.state).toBe('verifying');
      expect(upgrade.evidence.filter((e) => e.kind === 'verification').map((e) => e.outcome)).toEqual(['fail']);
      expect(notified.some((n) => n.includes('regression') && n.includes('before/after baselines'))).toBe(true);
      expect((await router.verifyWeight()).canary).toBe(100);
      const latency = (await baselineComparison(store.db, upgradeId)).metrics[0]!;
      expect(latency).toMatchObject({ metric: 'p95_latency', classification: 'high', outcome: 'fail' });
      expect(latency.after.median! / latency.before.median!).toBeGreaterThan(1.8);
    });

    it('rolls the upgrade back and takes traffic off on a regression when the policy says rollback', async () => {
      afterMs = 200;
      const id = await begin('rollback');
      const state = await drive(id);
      expect(state.phase).toBe('rolled-back');
      expect((await getUpgrade(store.db, upgradeId))!.state).toBe('rolled_back');
      expect((await router.verifyWeight()).canary).toBe(0);
    });
  });
}
