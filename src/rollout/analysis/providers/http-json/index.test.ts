import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../core/clock.js';
import { httpJsonMetricSettingsSchema, type HttpJsonMetricSettings } from '../../../../config/sections/metrics.js';
import { runMetricProviderContract } from '../metric-provider.contract.js';
import type { MetricQuery } from '../types.js';
import { createHttpJsonMetricProvider } from './index.js';

interface KpiServer {
  url: string;
  /** The requests seen: path and the authorization header. */
  seen: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/** A KPI service: `/kpi/<variant>` answers checkout figures per variant. */
async function startKpiServer(): Promise<KpiServer> {
  const seen: KpiServer['seen'] = [];
  const figures: Record<string, unknown> = {
    stable: { checkout: { conversion: 0.041, sessions: 1800 }, perMinute: [0.04, 0.042, 0.041] },
    canary: { checkout: { conversion: 0.029, sessions: 95 }, perMinute: [0.03, 0.028] },
    baseline: { checkout: { conversion: null, sessions: 0 }, perMinute: [] },
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://kpi');
    seen.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
    const variant = /^\/kpi\/([a-z]+)$/.exec(url.pathname)?.[1];
    const body = variant === 'all' ? figures : variant === undefined ? undefined : figures[variant];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'no such variant' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const window = { start: '2026-12-01T02:00:00.000Z', end: '2026-12-01T02:05:00.000Z' };
const settings = (raw: Record<string, unknown>): HttpJsonMetricSettings => httpJsonMetricSettingsSchema.parse({ kind: 'http-json', ...raw });
const query = (variant: 'stable' | 'canary' | 'baseline', s: HttpJsonMetricSettings): MetricQuery<HttpJsonMetricSettings> => ({ metric: 'conversion', service: 'shop', variant, window, settings: s });

let kpi: KpiServer;
beforeAll(async () => {
  kpi = await startKpiServer();
});
afterAll(async () => {
  await kpi.close();
});

runMetricProviderContract<HttpJsonMetricSettings>({
  name: 'http-json',
  async setup() {
    const server = await startKpiServer();
    return {
      provider: createHttpJsonMetricProvider({ clock: systemClock, env: () => undefined }),
      query: () => query('canary', settings({ url: `${server.url}/kpi/{{variant}}`, path: '$.checkout.conversion' })),
      pointedAt: (baseUrl, timeoutMs) => settings({ url: `${baseUrl}/kpi/{{variant}}`, path: '$.checkout.conversion', timeoutMs }),
      teardown: () => server.close(),
    };
  },
});

describe('http-json metric provider', () => {
  const env = (name: string) => ({ KPI_AUTH: 'Bearer kpi-secret' })[name];
  const provider = createHttpJsonMetricProvider({ clock: systemClock, env });

  it('reads a KPI per variant, with the events behind it, sending the header named by its environment variable', async () => {
    const s = settings({ url: `${kpi.url}/kpi/{{variant}}?window={{windowSeconds}}`, path: '$.checkout.conversion', countPath: '$.checkout.sessions', headersFromEnv: { Authorization: 'KPI_AUTH' } });
    const [stable, canary] = await Promise.all([provider.measure(query('stable', s)), provider.measure(query('canary', s))]);
    expect(stable).toMatchObject({ ok: true, measurement: { metric: 'conversion', variant: 'stable', value: 0.041, samples: [0.041], count: 1800, source: { provider: 'http-json' } } });
    expect(canary).toMatchObject({ ok: true, measurement: { value: 0.029, count: 95 } });
    expect(kpi.seen.slice(-2).map((r) => r.path).sort()).toEqual(['/kpi/canary?window=300', '/kpi/stable?window=300']);
    expect(kpi.seen.at(-1)!.authorization).toBe('Bearer kpi-secret');
  });

  it('reads an array of numbers as samples, and null as no data rather than a pass', async () => {
    const samples = await provider.measure(query('canary', settings({ url: `${kpi.url}/kpi/{{variant}}`, path: '$.perMinute' })));
    expect(samples).toMatchObject({ ok: true, measurement: { samples: [0.03, 0.028] } });
    expect(samples.ok && samples.measurement.value).toBeUndefined();
    const none = await provider.measure(query('baseline', settings({ url: `${kpi.url}/kpi/{{variant}}`, path: '$.checkout.conversion' })));
    expect(none).toMatchObject({ ok: true, measurement: { samples: [], count: 0 } });
  });

  it('names the missing path, a value that is not a number, a missing variable and an error status', async () => {
    const missing = await provider.measure(query('canary', settings({ url: `${kpi.url}/kpi/{{variant}}`, path: '$.checkout.revenue.total' })));
    expect(missing).toMatchObject({ ok: false, error: { reason: expect.stringContaining('JSON path $.checkout.revenue.total not found') } });
    expect(!missing.ok && missing.error.reason).toContain('nothing at $.checkout.revenue');
    const object = await provider.measure(query('canary', settings({ url: `${kpi.url}/kpi/{{variant}}`, path: '$.checkout' })));
    expect(!object.ok && object.error.reason).toContain('holds an object, not a number');
    const unset = await createHttpJsonMetricProvider({ clock: systemClock, env: () => undefined }).measure(query('canary', settings({ url: `${kpi.url}/kpi/{{variant}}`, path: '$.checkout.conversion', headersFromEnv: { Authorization: 'KPI_AUTH' } })));
    expect(!unset.ok && unset.error.reason).toBe('the environment variable KPI_AUTH (header Authorization) is not set');
    const status = await provider.measure(query('canary', settings({ url: `${kpi.url}/nope/{{variant}}`, path: '$.a' })));
    expect(!status.ok && status.error.reason).toContain('answered 404');
  });

  it('takes the variant in the path too, and URL-encodes what it puts in the URL', async () => {
    const s = settings({ url: `${kpi.url}/kpi/all?service={{service}}&from={{start}}`, path: '$.{{variant}}.checkout.conversion' });
    const canary = await provider.measure({ ...query('canary', s), service: 'shop & co' });
    expect(canary).toMatchObject({ ok: true, measurement: { value: 0.029, source: { query: expect.stringContaining('$.canary.checkout.conversion') } } });
    expect(kpi.seen.at(-1)!.path).toBe(`/kpi/all?service=shop%20%26%20co&from=${encodeURIComponent(window.start)}`);
  });
});
