import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { prometheusMetricSettingsSchema, type PrometheusMetricSettings } from '../../src/config/sections/metrics.js';
import { startSampleService, type SampleService } from '../../src/proxy/sample-service.js';
import { startProxy, type RunningProxy } from '../../src/proxy/server.js';
import { runMetricProviderContract } from '../../src/rollout/analysis/providers/metric-provider.contract.js';
import { createPrometheusMetricProvider } from '../../src/rollout/analysis/providers/prometheus/index.js';
import type { MetricQuery } from '../../src/rollout/analysis/providers/types.js';
import type { Variant } from '../../src/rollout/analysis/types.js';
import { freePort } from '../helpers/ports.js';
import { findBinary, missingBinaryReason } from '../traffic/support/binaries.js';
import { startServer, type RunningServer } from '../traffic/support/process.js';

/**
 * The Prometheus provider against a real Prometheus (Debian's `prometheus` package) that scrapes
 * a real built-in router every second: the router sends half the traffic to a canary that is
 * slower and fails about a third of its requests, and the provider must see it per variant.
 */
const binary = findBinary('prometheus');
const skip = missingBinaryReason('prometheus', binary);
const token = 'scrape-token';
const service = 'checkout';

const errorRateQuery = `sum(rate(uf_proxy_requests_total{job="{{service}}",variant="{{variant}}",class="5xx"}[{{window}}])) / sum(rate(uf_proxy_requests_total{job="{{service}}",variant="{{variant}}"}[{{window}}]))`;
const p95Query = `histogram_quantile(0.95, sum by (le) (rate(uf_proxy_request_duration_seconds_bucket{job="{{service}}",variant="{{variant}}"}[{{window}}])))`;

interface Environment {
  prometheusUrl: string;
  close(): Promise<void>;
}

let started: Promise<Environment> | undefined;

/** One router, its two versions, load, and a Prometheus scraping the router: started once per file. */
function environment(): Promise<Environment> {
  started ??= (async () => {
    const services: SampleService[] = [await startSampleService({ version: 'v1', latencyMs: 2 }), await startSampleService({ version: 'v2', latencyMs: 120, errorRate: 0.33 })];
    const proxy: RunningProxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, adminToken: token, stable: services[0]!.url, canary: services[1]!.url, canaryWeight: 50 });
    let loading = true;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (loading) {
          await (await fetch(`${proxy.url}/checkout`)).arrayBuffer().catch(() => undefined);
          await sleep(10);
        }
      }),
    );
    const directory = await mkdtemp(path.join(tmpdir(), 'uf-prometheus-'));
    const port = await freePort();
    const config = [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      `  - job_name: ${service}`,
      '    scrape_interval: 1s',
      '    scrape_timeout: 1s',
      `    authorization: { credentials: ${token} }`,
      `    static_configs: [{ targets: ['${new URL(proxy.adminUrl!).host}'] }]`,
      '',
    ].join('\n');
    await writeFile(path.join(directory, 'prometheus.yml'), config);
    const prometheusUrl = `http://127.0.0.1:${port}`;
    let prometheus: RunningServer;
    try {
      prometheus = await startServer(
        binary!,
        [`--config.file=${path.join(directory, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(directory, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
        async () => (await fetch(`${prometheusUrl}/-/ready`)).ok,
      );
    } catch (error) {
      loading = false;
      await load;
      await proxy.close();
      await Promise.all(services.map((s) => s.close()));
      throw error;
    }
    // Nine seconds of scrapes: enough for rates over the last 5 s and three 3-second steps.
    await sleep(10_000);
    return {
      prometheusUrl,
      async close() {
        await prometheus.stop();
        loading = false;
        await load;
        await proxy.close();
        await Promise.all(services.map((s) => s.close()));
        await rm(directory, { recursive: true, force: true });
      },
    };
  })();
  return started;
}

afterAll(async () => {
  if (started) await (await started).close();
}, 30_000);

const settings = (raw: Partial<Record<keyof PrometheusMetricSettings, unknown>>): PrometheusMetricSettings => prometheusMetricSettingsSchema.parse({ kind: 'prometheus', query: errorRateQuery, ...raw });

/** The last `seconds` seconds, ending half a second ago (Prometheus has scraped up to there). */
function recent(seconds: number) {
  const end = systemClock.now().getTime() - 500;
  return { start: new Date(end - seconds * 1000).toISOString(), end: new Date(end).toISOString() };
}

const query = (variant: Variant, s: PrometheusMetricSettings, seconds = 5, metric = 'error_rate'): MetricQuery<PrometheusMetricSettings> => ({ metric, service, variant, window: recent(seconds), settings: s });
const provider = createPrometheusMetricProvider({ clock: systemClock, env: () => undefined });

runMetricProviderContract<PrometheusMetricSettings>({
  name: 'prometheus',
  skip,
  async setup() {
    const { prometheusUrl } = await environment();
    return {
      provider,
      query: () => query('stable', settings({ url: prometheusUrl })),
      pointedAt: (baseUrl, timeoutMs) => settings({ url: baseUrl, timeoutMs }),
      teardown: async () => undefined,
    };
  },
});

describe.skipIf(skip !== undefined)(`prometheus metric provider against a real Prometheus${skip ? ` (skipped: ${skip})` : ''}`, { timeout: 60_000 }, () => {
  let prometheusUrl: string;
  beforeAll(async () => {
    ({ prometheusUrl } = await environment());
  }, 60_000);

  it('reads each variant’s error rate and p95 from the router’s scraped metrics', async () => {
    const [stableErrors, canaryErrors, stableP95, canaryP95] = await Promise.all([
      provider.measure(query('stable', settings({ url: prometheusUrl }))),
      provider.measure(query('canary', settings({ url: prometheusUrl }))),
      provider.measure(query('stable', settings({ url: prometheusUrl, query: p95Query }), 5, 'p95_latency')),
      provider.measure(query('canary', settings({ url: prometheusUrl, query: p95Query }), 5, 'p95_latency')),
    ]);
    for (const result of [stableErrors, canaryErrors, stableP95, canaryP95]) expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!stableErrors.ok || !canaryErrors.ok || !stableP95.ok || !canaryP95.ok) return;
    expect(stableErrors.measurement.value).toBe(0);
    expect(canaryErrors.measurement.value).toBeGreaterThan(0.15);
    expect(canaryErrors.measurement.value).toBeLessThan(0.55);
    // Histogram buckets …, 0.05, 0.1, 0.25, …: the canary's 120 ms lie in (0.1, 0.25]; stable's 2 ms well below.
    expect(canaryP95.measurement.value).toBeGreaterThan(0.1);
    expect(stableP95.measurement.value).toBeLessThan(0.1);
    expect(canaryErrors.measurement.source.query).toContain('variant="canary"');
    expect(canaryErrors.measurement.source.query).toContain('[5s]');
  });

  it('in range mode, gives one sample per step, each over its own step', async () => {
    const result = await provider.measure(query('canary', settings({ url: prometheusUrl, query: p95Query, mode: 'range', stepSeconds: 3 }), 9, 'p95_latency'));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.measurement.samples.length).toBeGreaterThanOrEqual(2);
    expect(result.measurement.samples.length).toBeLessThanOrEqual(3);
    expect(result.measurement.samples.every((p95) => p95 > 0.1 && p95 <= 0.25)).toBe(true);
    expect(result.measurement.value).toBeGreaterThan(0.1);
    expect(result.measurement.source.query).toContain('[3s]');
  });

  it('reports no series, several series and a refused query as errors, and NaN (0/0) as no data', async () => {
    const none = await provider.measure({ ...query('canary', settings({ url: prometheusUrl })), service: 'nope' });
    expect(!none.ok && none.error.reason).toContain('found no series for the query');
    const several = await provider.measure(query('canary', settings({ url: prometheusUrl, query: 'rate(uf_proxy_requests_total{variant="{{variant}}"}[{{window}}])' })));
    expect(!several.ok && several.error.reason).toMatch(/answered 5 series .*: the query must aggregate to one/);
    const refused = await provider.measure(query('canary', settings({ url: prometheusUrl, query: 'sum(rate(uf_proxy_requests_total{variant="{{variant}}"}[{{window}}])' })));
    expect(!refused.ok && refused.error.reason).toMatch(/refused the query \(400, bad_data\)/);
    const noInformational = errorRateQuery.replaceAll('5xx', '1xx').replace('variant="{{variant}}"}', 'variant="{{variant}}",class="1xx"}');
    const nan = await provider.measure(query('canary', settings({ url: prometheusUrl, query: noInformational })));
    expect(nan).toMatchObject({ ok: true, measurement: { samples: [] } });
    expect(nan.ok && nan.measurement.value).toBeUndefined();
  });
});
