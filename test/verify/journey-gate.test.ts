import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journeySchema } from '../../src/config/sections/journeys.js';
import { thresholdJudgeSettingsSchema } from '../../src/config/sections/judges.js';
import { journeyMetricSettingsSchema } from '../../src/config/sections/metrics.js';
import { sampleDeployerSettingsSchema } from '../../src/config/sections/deployers.js';
import { steppingClock, type Clock } from '../../src/core/clock.js';
import { startRouterHost, type RouterHost } from '../../src/proxy/worker/host.js';
import { createThresholdJudge } from '../../src/rollout/analysis/judges/threshold/index.js';
import { createJourneyMetricProvider } from '../../src/rollout/analysis/providers/journey/index.js';
import type { MetricProvider } from '../../src/rollout/analysis/providers/types.js';
import { createSampleDeployer, type SampleDeployer } from '../../src/rollout/deployers/sample/index.js';
import { finalPhases, type RolloutState } from '../../src/rollout/engine/index.js';
import { analysisRunner, beginRollout, reconcileOnce, type ReconcilerDeps } from '../../src/rollout/reconciler/index.js';
import type { Store } from '../../src/store/open.js';
import { getUpgrade } from '../../src/store/repos/upgrades.js';
import { createInProcessBuiltinRouter } from '../../src/traffic/routers/builtin/in-process.js';
import { checkoutJourney, startShop, type ShopServer } from '../../src/verify/probes/testing.js';
import { minute, policy } from '../helpers/rollout.js';
import { storeTargets } from '../helpers/stores.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';
import { runJourney } from '../../src/verify/probes/index.js';

/**
 * Issue 12's "a failing journey blocks promotion": a real rollout, driven by the reconciler on a
 * stepping clock, whose only analysis is the checkout journey probed through the built-in router
 * (the canary reached by its forcing header, at every step's weight).
 */
const t0 = '2026-12-01T09:00:00.000Z';
const forcing = { kind: 'header', name: 'x-uf-canary', value: 'always' } as const;
const sqlite = storeTargets.find((target) => target.dialect === 'sqlite')!;

describe('a journey probe as rollout analysis evidence', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: Clock;
  let stable: ShopServer;
  let canary: ShopServer;
  let host: RouterHost;
  let deployer: SampleDeployer;
  let upgradeId: string;

  async function start(canaryBroken: boolean): Promise<void> {
    stable = await startShop({ version: 'v1' });
    canary = await startShop({ version: 'v2', broken: canaryBroken });
    host = await startRouterHost(
      [{ service: 'checkout', listen: { host: '127.0.0.1', port: 0 }, stable: stable.url, canary: canary.url, canaryWeight: 0, route: { ...forcing, variant: 'canary' } }],
      { logger: pino({ level: 'silent' }) },
    );
  }

  beforeEach(async () => {
    clock = steppingClock(t0, 10_000);
    ({ store, cleanup } = await sqlite.open({ clock }));
    deployer = createSampleDeployer(sampleDeployerSettingsSchema.parse({ service: 'checkout', health: { intervalMs: 50, timeoutMs: 10_000 } }));
    upgradeId = await upgradeAtCompat(store, { clock, changeClass: 'standard', createdBy: 'alice', actor: 'bob' });
  });

  afterEach(async () => {
    await deployer.close();
    await host.close();
    await stable.close();
    await canary.close();
    await cleanup();
  });

  function deps(): ReconcilerDeps {
    const journeys = [journeySchema.parse(checkoutJourney)];
    const provider = createJourneyMetricProvider({ clock, env: () => undefined, journeys, runJourney: (journey, target, options) => runJourney(journey, target, { clock }, options) });
    const settings = journeyMetricSettingsSchema.parse({ kind: 'journey', journey: 'checkout', url: host.routers[0]!.url, force: forcing, timeoutMs: 3_000 });
    const judge = createThresholdJudge(thresholdJudgeSettingsSchema.parse({ kind: 'threshold', checks: [{ metric: 'checkout_journey', min: 1 }] }));
    return {
      deployer,
      router: createInProcessBuiltinRouter(host.routers[0]!),
      analyse: analysisRunner({ journeys: { judge, metrics: [{ metric: 'checkout_journey', provider: provider as MetricProvider<unknown>, settings }] } }),
      notify: () => Promise.resolve(),
      versions: { fromVersion: '1.0.0', toVersion: '1.1.0' },
      gatePolicy: { rollbackDrillMaxAgeDays: 30 },
    };
  }

  async function drive(): Promise<RolloutState> {
    const { rolloutId } = await beginRollout(
      store,
      { rolloutId: 'ro_journey', upgradeId, initiator: 'alice', baseline: false, policy: policy('standard', { minDurationMs: 2 * minute, maxDurationMs: 60 * minute, minSamples: 1, analysis: { name: 'journeys', intervalMs: minute } }) },
      clock,
    );
    for (let i = 0; i < 300; i++) {
      const report = await reconcileOnce(store, rolloutId, deps(), clock);
      if (finalPhases.includes(report.state.phase) && report.ran.length === 0) return report.state;
    }
    throw new Error('the rollout did not end');
  }

  it('blocks promotion when the canary’s journey fails: the analysis fails at 5% and the upgrade is rolled back', async () => {
    await start(true);
    const state = await drive();
    expect(state.phase).toBe('rolled-back');
    const failed = state.verdicts.at(-1)!;
    expect(failed.verdict.outcome).toBe('fail');
    expect(failed.step).toBe(0);
    const evidence = failed.verdict.evidence.find((metric) => metric.metric === 'checkout_journey')!;
    expect(evidence.outcome).toBe('fail');
    expect(evidence.values.canary).toMatchObject({ value: 0 });
    const upgrade = (await getUpgrade(store.db, upgradeId))!;
    expect(upgrade.state).toBe('rolled_back');
    expect(upgrade.weight ?? 0).toBe(0);
    // The journey reached the broken canary through the router, by its forcing header.
    expect(canary.hits.some((hit) => hit.path === '/orders/7' && hit.headers['x-uf-canary'] === 'always')).toBe(true);
  });

  it('promotes to 100% when the canary’s journey passes at every step', async () => {
    await start(false);
    const state = await drive();
    expect(state.phase).toBe('done');
    const upgrade = (await getUpgrade(store.db, upgradeId))!;
    expect(upgrade.state).toBe('verifying');
    expect(upgrade.evidence.filter((e) => e.kind === 'analysis' && e.outcome === 'pass').map((e) => e.weight)).toEqual([5, 25, 50, 100]);
  });
});
