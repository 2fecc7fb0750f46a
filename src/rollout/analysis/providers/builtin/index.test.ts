import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../../../core/clock.js';
import { builtinMetricSettingsSchema, type BuiltinMetricSettings } from '../../../../config/sections/metrics.js';
import { startSampleService, type SampleService } from '../../../../proxy/sample-service.js';
import { startProxy, type RunningProxy } from '../../../../proxy/server.js';
import type { Variant } from '../../types.js';
import { runMetricProviderContract } from '../metric-provider.contract.js';
import type { MetricQuery } from '../types.js';
import { createBuiltinMetricProvider } from './index.js';

const token = 'metrics-token';
const env = (name: string) => ({ UF_TEST_ADMIN_TOKEN: token })[name];

interface Router {
  proxy: RunningProxy;
  services: SampleService[];
  close(): Promise<void>;
}

/** A real built-in router at 50 % between a fast healthy stable and a slower canary failing a third of requests. */
async function startRouter(): Promise<Router> {
  const stable = await startSampleService({ version: 'v1', latencyMs: 2 });
  const canary = await startSampleService({ version: 'v2', latencyMs: 30, errorRate: 0.33 });
  const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, adminToken: token, stable: stable.url, canary: canary.url, canaryWeight: 50 });
  return {
    proxy,
    services: [stable, canary],
    async close() {
      await proxy.close();
      await Promise.all([stable.close(), canary.close()]);
    },
  };
}

async function sendTraffic(url: string, count: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next++ < count) await (await fetch(`${url}/checkout`)).arrayBuffer();
  };
  await Promise.all(Array.from({ length: 8 }, lane));
}

const settings = (raw: Partial<BuiltinMetricSettings> & { adminUrl: string }): BuiltinMetricSettings => builtinMetricSettingsSchema.parse({ kind: 'builtin', stat: 'p95', tokenEnv: 'UF_TEST_ADMIN_TOKEN', ...raw });

/** The last `seconds` seconds, ending now by `clock`. */
function lastSeconds(seconds: number, clock: Clock = systemClock) {
  const end = clock.now();
  return { start: new Date(end.getTime() - seconds * 1000).toISOString(), end: end.toISOString() };
}

const query = (variant: Variant, s: BuiltinMetricSettings, seconds = 10): MetricQuery<BuiltinMetricSettings> => ({ metric: s.stat, service: 'checkout', variant, window: lastSeconds(seconds), settings: s });

runMetricProviderContract<BuiltinMetricSettings>({
  name: 'builtin',
  async setup() {
    const router = await startRouter();
    await sendTraffic(router.proxy.url, 60);
    return {
      provider: createBuiltinMetricProvider({ clock: systemClock, env }),
      query: () => query('stable', settings({ adminUrl: router.proxy.adminUrl!, stat: 'p95' })),
      pointedAt: (baseUrl, timeoutMs) => settings({ adminUrl: baseUrl, timeoutMs }),
      teardown: () => router.close(),
    };
  },
});

describe('builtin metric provider', () => {
  let router: Router;
  const provider = createBuiltinMetricProvider({ clock: systemClock, env });
  beforeAll(async () => {
    router = await startRouter();
    await sendTraffic(router.proxy.url, 300);
  });
  afterAll(async () => {
    await router.close();
  });

  it('reads each variant’s error rate, p95 and request count from the router’s own statistics', async () => {
    const at = (stat: BuiltinMetricSettings['stat'], variant: Variant, seconds = 10) => provider.measure(query(variant, settings({ adminUrl: router.proxy.adminUrl!, stat }), seconds));
    const [stableErrors, canaryErrors, stableP95, canaryP95, canaryRequests] = await Promise.all([at('error_rate', 'stable'), at('error_rate', 'canary', 60), at('p95', 'stable'), at('p95', 'canary'), at('requests', 'canary')]);
    for (const result of [stableErrors, canaryErrors, stableP95, canaryP95, canaryRequests]) expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!stableErrors.ok || !canaryErrors.ok || !stableP95.ok || !canaryP95.ok || !canaryRequests.ok) return;
    expect(stableErrors.measurement.value).toBe(0);
    expect(canaryErrors.measurement.value).toBeGreaterThan(0.15);
    expect(canaryErrors.measurement.value).toBeLessThan(0.55);
    expect(canaryP95.measurement.value).toBeGreaterThanOrEqual(29);
    expect(canaryP95.measurement.value!).toBeGreaterThan(stableP95.measurement.value!);
    const stableShare = stableErrors.measurement.count! / (stableErrors.measurement.count! + canaryRequests.measurement.value!);
    expect(stableShare).toBeGreaterThan(0.3);
    expect(canaryRequests.measurement).toMatchObject({ samples: [canaryRequests.measurement.value], count: canaryRequests.measurement.value, source: { provider: 'builtin' } });
  });

  it('reads any window of up to 60 s ending now, each from its own per-second counts', async () => {
    const at = (seconds: number) => provider.measure(query('canary', settings({ adminUrl: router.proxy.adminUrl!, stat: 'requests' }), seconds));
    const [three, thirty, sixty] = await Promise.all([at(3), at(30), at(60)]);
    for (const result of [three, thirty, sixty]) expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!three.ok || !thirty.ok || !sixty.ok) return;
    // All the traffic was sent at the start: the 30 s and 60 s windows both hold it all.
    expect(thirty.measurement.value).toBe(sixty.measurement.value);
    expect(three.measurement.value!).toBeLessThanOrEqual(thirty.measurement.value!);
    expect(sixty.measurement.value!).toBeGreaterThan(0);
  });

  it('gives no data for a variant without requests, and refuses a window the router does not keep', async () => {
    const quiet = await startRouter();
    try {
      const none = await provider.measure(query('canary', settings({ adminUrl: quiet.proxy.adminUrl!, stat: 'p95' })));
      expect(none).toMatchObject({ ok: true, measurement: { samples: [], count: 0 } });
      expect(none.ok && none.measurement.value).toBeUndefined();
    } finally {
      await quiet.close();
    }
    const long = await provider.measure(query('canary', settings({ adminUrl: router.proxy.adminUrl! }), 90));
    expect(!long.ok && long.error.reason).toBe("the built-in router keeps only the last 60 s, not a window of 90 s: set the analysis's window to 60s or less");
    const old = await provider.measure({ ...query('canary', settings({ adminUrl: router.proxy.adminUrl! })), window: { start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T00:00:10.000Z' } });
    expect(!old.ok && old.error.reason).toContain('the window ended');
  });

  it('names a wrong token, a missing token variable and a variant the router lacks', async () => {
    const wrong = await createBuiltinMetricProvider({ clock: systemClock, env: () => 'nope' }).measure(query('canary', settings({ adminUrl: router.proxy.adminUrl! })));
    expect(!wrong.ok && wrong.error.reason).toContain('answered 401');
    const unset = await createBuiltinMetricProvider({ clock: systemClock, env: () => undefined }).measure(query('canary', settings({ adminUrl: router.proxy.adminUrl! })));
    expect(!unset.ok && unset.error.reason).toBe('the environment variable UF_TEST_ADMIN_TOKEN (tokenEnv) is not set');
    const baseline = await provider.measure(query('baseline', settings({ adminUrl: router.proxy.adminUrl! })));
    // A router without a baseline variant says so; one with it (and no traffic there) has no data.
    if (baseline.ok) expect(baseline.measurement).toMatchObject({ samples: [], count: 0 });
    else expect(baseline.error.reason).toContain('has no baseline variant');
  });
});
