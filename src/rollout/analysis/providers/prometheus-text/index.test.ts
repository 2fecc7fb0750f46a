import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../core/clock.js';
import { prometheusTextMetricSettingsSchema, type PrometheusTextMetricSettings } from '../../../../config/sections/metrics.js';
import { startSampleService } from '../../../../proxy/sample-service.js';
import { startProxy } from '../../../../proxy/server.js';
import type { MetricWindow, Variant } from '../../types.js';
import { runMetricProviderContract } from '../metric-provider.contract.js';
import type { MetricQuery } from '../types.js';
import { createPrometheusTextMetricProvider } from './index.js';

/** A metrics page the test writes: counters and a histogram per variant, set by `set`. */
interface Page {
  url: string;
  set(counters: Partial<Record<string, number>>): void;
  close(): Promise<void>;
}

async function startPage(): Promise<Page> {
  const values: Record<string, number> = {};
  const server = http.createServer((_req, res) => {
    const lines = ['# TYPE app_requests_total counter', ...Object.entries(values).map(([series, value]) => `${series} ${value}`)];
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    set: (counters) => Object.assign(values, counters),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const t0 = Date.parse('2026-12-01T02:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
const windowOf = (from: number, to: number): MetricWindow => ({ start: at(from), end: at(to) });
const settings = (raw: Record<string, unknown>): PrometheusTextMetricSettings => prometheusTextMetricSettingsSchema.parse({ kind: 'prometheus-text', ...raw });
const query = (variant: Variant, window: MetricWindow, s: PrometheusTextMetricSettings): MetricQuery<PrometheusTextMetricSettings> => ({ metric: 'error_rate', service: 'shop', variant, window, settings: s });

const errorRate = (url: string, extra: Record<string, unknown> = {}) => settings({ url, metric: 'app_requests_total', labels: { class: '5xx' }, compute: { kind: 'ratio', denominator: { labels: {} } }, ...extra });
const requests = (variant: string, ok: number, failed: number) => ({ [`app_requests_total{variant="${variant}",class="2xx"}`]: ok, [`app_requests_total{variant="${variant}",class="5xx"}`]: failed });

runMetricProviderContract<PrometheusTextMetricSettings>({
  name: 'prometheus-text',
  async setup() {
    const page = await startPage();
    page.set(requests('canary', 100, 0));
    const clock = fixedClock(at(0));
    return {
      provider: createPrometheusTextMetricProvider({ clock, env: () => undefined }),
      query: () => query('canary', windowOf(0, 60), errorRate(page.url)),
      async between() {
        page.set(requests('canary', 190, 10));
        clock.advance(60_000);
      },
      pointedAt: (baseUrl, timeoutMs) => errorRate(`${baseUrl}/metrics`, { timeoutMs }),
      teardown: () => page.close(),
    };
  },
});

describe('prometheus-text metric provider', () => {
  let page: Page;
  beforeAll(async () => {
    page = await startPage();
  });
  afterAll(async () => {
    await page.close();
  });

  it('reads an error rate as the growth of two counters between the window’s scrapes, one sample per interval', async () => {
    const clock = fixedClock(at(0));
    const provider = createPrometheusTextMetricProvider({ clock, env: () => undefined });
    page.set({ ...requests('stable', 1000, 10), ...requests('canary', 50, 0) });
    await provider.startWindow(query('canary', windowOf(0, 20), errorRate(page.url)));
    const steps: Array<[number, number]> = [
      [90, 10],
      [170, 30],
      [260, 40],
    ];
    for (const [index, [ok, failed]] of steps.entries()) {
      page.set(requests('canary', ok, failed));
      clock.advance(20_000);
      const step = await provider.measure(query('canary', windowOf(index * 20, index * 20 + 20), errorRate(page.url)));
      expect(step.ok, JSON.stringify(step)).toBe(true);
    }
    // Canary: 2xx 50 -> 90 -> 170 -> 260 and 5xx 0 -> 10 -> 30 -> 40.
    const whole = await provider.measure(query('canary', windowOf(0, 60), errorRate(page.url)));
    expect(whole).toMatchObject({ ok: true, measurement: { value: 40 / 250, count: 250, samples: [10 / 50, 20 / 100, 10 / 100], source: { provider: 'prometheus-text' } } });
    expect(whole.ok && whole.measurement.source.query).toBe(`GET ${page.url}: increase of app_requests_total{class="5xx",variant="canary"} / increase of app_requests_total{variant="canary"}`);
    // Stable took no request in the window: no data, not an error rate of 0.
    const stable = await provider.measure(query('stable', windowOf(0, 60), errorRate(page.url)));
    expect(stable).toMatchObject({ ok: true, measurement: { samples: [], count: 0 } });
    expect(stable.ok && stable.measurement.value).toBeUndefined();
  });

  it('computes a histogram quantile from its buckets’ growth, as PromQL’s histogram_quantile does', async () => {
    const clock = fixedClock(at(0));
    const provider = createPrometheusTextMetricProvider({ clock, env: () => undefined });
    const buckets = (variant: string, counts: [number, number, number, number]) =>
      Object.fromEntries(['0.1', '0.25', '0.5', '+Inf'].map((le, i) => [`latency_seconds_bucket{variant="${variant}",le="${le}"}`, counts[i]!]));
    const p95 = settings({ url: page.url, metric: 'latency_seconds', compute: { kind: 'quantile', quantile: 0.95 } });
    page.set(buckets('canary', [10, 10, 10, 10]));
    await provider.startWindow(query('canary', windowOf(0, 30), p95));
    // 100 new observations: 60 below 0.1 s, 30 in 0.1–0.25 s, 10 in 0.25–0.5 s. Rank 95 lies in the last: 0.25 + 0.25 × 5/10.
    page.set(buckets('canary', [70, 100, 110, 110]));
    clock.advance(30_000);
    const result = await provider.measure(query('canary', windowOf(0, 30), p95));
    expect(result).toMatchObject({ ok: true, measurement: { value: 0.375, count: 100 } });
  });

  it('reads a gauge as it is, its readings in the window as samples', async () => {
    const clock = fixedClock(at(0));
    const provider = createPrometheusTextMetricProvider({ clock, env: () => undefined });
    const backlog = settings({ url: page.url, metric: 'queue_backlog', variantLabel: 'version', variantValues: { canary: 'v2' } });
    page.set({ 'queue_backlog{version="v2",queue="a"}': 4, 'queue_backlog{version="v2",queue="b"}': 3 });
    await provider.startWindow(query('canary', windowOf(0, 30), backlog));
    page.set({ 'queue_backlog{version="v2",queue="a"}': 9 });
    clock.advance(30_000);
    expect(await provider.measure(query('canary', windowOf(0, 30), backlog))).toMatchObject({ ok: true, measurement: { value: 12, samples: [7, 12] } });
  });

  it('treats a counter that went down as reset, and says why a window cannot be read', async () => {
    const clock = fixedClock(at(0));
    const provider = createPrometheusTextMetricProvider({ clock, env: () => undefined });
    const grown = settings({ url: page.url, metric: 'app_requests_total', labels: { class: '2xx' }, compute: { kind: 'increase' } });
    page.set(requests('stable', 500, 0));
    const first = await provider.measure(query('stable', windowOf(-30, 0), grown));
    expect(!first.ok && first.error.reason).toContain(`no scrape of ${page.url} within 10 s of the window's start`);
    page.set(requests('stable', 20, 0));
    clock.advance(30_000);
    expect(await provider.measure(query('stable', windowOf(0, 30), grown))).toMatchObject({ ok: true, measurement: { value: 20 } });

    const early = await provider.measure(query('stable', windowOf(30, 60), grown));
    expect(!early.ok && early.error.reason).toContain('a text endpoint can only be read for a window that is over');
    clock.advance(90_000);
    const late = await provider.measure(query('stable', windowOf(30, 60), grown));
    expect(!late.ok && late.error.reason).toContain('measured 60 s after the window');
    const missing = await provider.measure(query('stable', windowOf(90, 120), settings({ url: page.url, metric: 'app_requests_totl' })));
    expect(!missing.ok && missing.error.reason).toBe(`${page.url} shows no series app_requests_totl{variant="stable"}`);
  });
});

describe('prometheus-text against the built-in router’s own /metrics', () => {
  it('reads the canary’s error rate and p95 from the router’s counters and histogram, with no Prometheus server', async () => {
    const stable = await startSampleService({ version: 'v1', latencyMs: 1 });
    const canary = await startSampleService({ version: 'v2', latencyMs: 120, errorRate: 0.5 });
    const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, adminToken: 'router-token', stable: stable.url, canary: canary.url, canaryWeight: 50 });
    try {
      const clock = fixedClock(at(0));
      const provider = createPrometheusTextMetricProvider({ clock, env: (name) => (name === 'ROUTER_TOKEN' ? 'router-token' : undefined) });
      const common = { url: `${proxy.adminUrl}/metrics`, tokenEnv: 'ROUTER_TOKEN' };
      const rate = settings({ ...common, metric: 'uf_proxy_requests_total', labels: { class: '5xx' }, compute: { kind: 'ratio', denominator: { labels: {} } } });
      const p95 = settings({ ...common, metric: 'uf_proxy_request_duration_seconds', compute: { kind: 'quantile', quantile: 0.95 } });
      await Promise.all([provider.startWindow(query('canary', windowOf(0, 60), rate)), provider.startWindow(query('canary', windowOf(0, 60), p95))]);
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 25; i++) await (await fetch(`${proxy.url}/checkout`)).arrayBuffer();
      }));
      clock.advance(60_000);
      const [errors, latency, stableErrors] = await Promise.all([provider.measure(query('canary', windowOf(0, 60), rate)), provider.measure(query('canary', windowOf(0, 60), p95)), provider.measure(query('stable', windowOf(0, 60), rate))]);
      expect(errors.ok && latency.ok && stableErrors.ok, JSON.stringify([errors, latency, stableErrors])).toBe(true);
      if (!errors.ok || !latency.ok || !stableErrors.ok) return;
      expect(errors.measurement.value).toBeGreaterThan(0.3);
      expect(errors.measurement.value).toBeLessThan(0.7);
      expect(stableErrors.measurement.value).toBe(0);
      expect(errors.measurement.count! + stableErrors.measurement.count!).toBe(200);
      expect(latency.measurement.value).toBeGreaterThan(0.1);
      expect(latency.measurement.value).toBeLessThanOrEqual(0.25);
    } finally {
      await proxy.close();
      await Promise.all([stable.close(), canary.close()]);
    }
  });
});
