import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeySchema, type Journey } from '../../../../config/sections/journeys.js';
import { journeyMetricSettingsSchema, type JourneyMetricSettings } from '../../../../config/sections/metrics.js';
import { systemClock } from '../../../../core/clock.js';
import { startProxy, type RunningProxy } from '../../../../proxy/server.js';
import { checkoutJourney, startShop, type ShopServer } from '../../../../verify/probes/testing.js';
import { runMetricProviderContract } from '../metric-provider.contract.js';
import type { MetricQuery } from '../types.js';
import { createJourneyMetricProvider } from './index.js';
import { runJourney } from '../../../../verify/probes/index.js';

const window = { start: '2026-12-02T10:00:00.000Z', end: '2026-12-02T10:05:00.000Z' };
const checkout = journeySchema.parse(checkoutJourney);
/** What the contract's endpoints can be asked: a JSON answer with `$.ok`, with status 200. */
const health: Journey = journeySchema.parse({ name: 'health', service: 'shop', steps: [{ url: '/login', method: 'POST', expect: { status: 200, json: [{ path: '$.token', exists: true }] } }] });
const settings = (raw: Record<string, unknown>): JourneyMetricSettings => journeyMetricSettingsSchema.parse({ kind: 'journey', ...raw });
const query = (variant: 'stable' | 'canary', s: JourneyMetricSettings): MetricQuery<JourneyMetricSettings> => ({ metric: 'checkout_journey', service: 'shop', variant, window, settings: s });
const provider = createJourneyMetricProvider({ clock: systemClock, env: () => undefined, journeys: [checkout, health], runJourney: (journey, target, options) => runJourney(journey, target, { clock: systemClock }, options) });

runMetricProviderContract<JourneyMetricSettings>({
  name: 'journey',
  measuresTheService: { failingValue: 0 },
  async setup() {
    const shop = await startShop();
    return {
      provider,
      query: () => query('canary', settings({ journey: 'health', url: shop.url })),
      pointedAt: (baseUrl, timeoutMs) => settings({ journey: 'health', url: baseUrl, timeoutMs }),
      teardown: () => shop.close(),
    };
  },
});

describe('journey metric provider behind the built-in router', () => {
  let stable: ShopServer;
  let canary: ShopServer;
  let router: RunningProxy;
  beforeAll(async () => {
    stable = await startShop({ version: 'v1' });
    canary = await startShop({ version: 'v2', broken: true });
    router = await startProxy({
      listen: { host: '127.0.0.1', port: 0 },
      stable: stable.url,
      canary: canary.url,
      canaryWeight: 0,
      route: { kind: 'header', name: 'x-uf-canary', value: 'always', variant: 'canary' },
    });
  });
  afterAll(async () => {
    await router.close();
    await stable.close();
    await canary.close();
  });

  it('measures 1 for a passing journey and 0 for the canary’s failing one, reached by the forcing header at weight 0', async () => {
    const s = settings({ journey: 'checkout', url: router.url, force: { kind: 'header', name: 'x-uf-canary', value: 'always' } });
    const onStable = await provider.measure(query('stable', s));
    const onCanary = await provider.measure(query('canary', s));
    expect(onStable).toMatchObject({ ok: true, measurement: { value: 1, samples: [1], count: 1, variant: 'stable' } });
    expect(onCanary).toMatchObject({ ok: true, measurement: { value: 0, samples: [0], count: 1, variant: 'canary' } });
    if (onCanary.ok) expect(onCanary.measurement.source.query).toMatch(/^journey checkout at http:\/\/127\.0\.0\.1:\d+: failing \(iteration 1, order .*expected 200, got 500\)/);
    expect(canary.hits.some((hit) => hit.headers['x-uf-canary'] === 'always')).toBe(true);
    expect(stable.hits.every((hit) => hit.headers['x-uf-canary'] === undefined)).toBe(true);
  });

  it('is an error, not a pass, for a journey that is not configured', async () => {
    const result = await provider.measure(query('canary', settings({ journey: 'nope', url: router.url })));
    expect(result).toMatchObject({ ok: false, error: { reason: "no journey named 'nope' under journeys: in factory.yaml", source: { provider: 'journey' } } });
  });
});
