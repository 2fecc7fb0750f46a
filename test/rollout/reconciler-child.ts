import { sampleDeployerSettingsSchema } from '../../src/config/sections/deployers.js';
import { thresholdJudgeSettingsSchema } from '../../src/config/sections/judges.js';
import { fixedClock, steppingClock } from '../../src/core/clock.js';
import { createThresholdJudge } from '../../src/rollout/analysis/judges/threshold/index.js';
import type { MetricProvider } from '../../src/rollout/analysis/providers/types.js';
import { createSampleDeployer } from '../../src/rollout/deployers/sample/index.js';
import { finalPhases } from '../../src/rollout/engine/index.js';
import { analysisRunner, reconcileOnce } from '../../src/rollout/reconciler/index.js';
import { openStore } from '../../src/store/open.js';
import { createBuiltinRouter } from '../../src/traffic/routers/builtin/index.js';

// A reconciler process for the kill -9 test (reconciler-kill.test.ts): drives rollout `ro_1` in
// the SQLite store at argv[2] through the built-in proxy whose admin API is at argv[3], until it
// ends. The test kills it at random points and starts it again.

const [sqlitePath, adminUrl, token] = process.argv.slice(2) as [string, string, string];
const store = await openStore({ sqlitePath, clock: fixedClock('2026-12-01T09:00:00.000Z') });
// Simulated time goes on from the latest time the store recorded (a killed process's lease included).
const stamps = await Promise.all([
  store.db.selectFrom('rollouts').select('updated_at as at').execute(),
  store.db.selectFrom('rollout_actions').select('finished_at as at').where('finished_at', 'is not', null).execute(),
  store.db.selectFrom('leases').select('expires_at as at').execute(),
  store.db.selectFrom('oplog').select('at').orderBy('seq', 'desc').limit(1).execute(),
]);
const latest = Math.max(...stamps.flat().map((row) => Date.parse(row.at!)));
const clock = steppingClock(new Date(latest + 1000), 2_000);

const provider: MetricProvider<unknown> = {
  id: 'simulated',
  measure(query) {
    const samples = Array.from({ length: 50 }, (_, i) => 100 + (i % 10));
    return Promise.resolve({ ok: true, measurement: { metric: query.metric, variant: query.variant, window: query.window, samples, count: samples.length, source: { provider: 'simulated' } } });
  },
};
const judge = createThresholdJudge(thresholdJudgeSettingsSchema.parse({ kind: 'threshold', minSamples: 20, checks: [{ metric: 'p95_latency', aggregate: 'p95', max: 250 }] }));
const deployer = createSampleDeployer(sampleDeployerSettingsSchema.parse({ service: 'checkout', health: { intervalMs: 50, timeoutMs: 10_000 } }));
const deps = {
  deployer,
  router: createBuiltinRouter({ adminUrl, token }),
  analyse: analysisRunner({ slo: { judge, metrics: [{ metric: 'p95_latency', provider, settings: {} }] } }),
  notify: () => Promise.resolve(),
  versions: { fromVersion: '1.0.0', toVersion: '1.1.0' },
  gatePolicy: { rollbackDrillMaxAgeDays: 30 },
};

// Tells the test the process is past its start-up: its kill timer starts now.
process.stdout.write('ready\n');
for (let i = 0; i < 1000; i++) {
  // A lease shorter than one clock step: a killed holder's lease has expired for the next process.
  const report = await reconcileOnce(store, 'ro_1', deps, clock, { leaseTtlMs: 1_500 });
  if (finalPhases.includes(report.state.phase) && report.ran.length === 0) {
    process.stdout.write(`${JSON.stringify({ phase: report.state.phase, weights: report.state.weights })}\n`);
    break;
  }
}
await deployer.close();
await store.close();
