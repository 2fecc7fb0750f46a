import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { metricSourceKinds, metricSourceSchema, type MetricSource } from '../../../config/sections/metrics.js';
import { fixedClock } from '../../../core/clock.js';
import { createMetricProviders, metricProviderRegistry } from './registry.js';
import { neverThrowing } from './result.js';

const window = { start: '2026-12-01T02:00:00.000Z', end: '2026-12-01T02:01:00.000Z' };

describe('metric provider registry', () => {
  it('has one entry per source kind that factory.yaml accepts, each building a provider of that id', () => {
    expect(Object.keys(metricProviderRegistry).sort()).toEqual([...metricSourceKinds].sort());
    for (const [kind, entry] of Object.entries(metricProviderRegistry)) expect(entry.create({ clock: fixedClock(window.end), env: () => undefined }).id).toBe(kind);
  });

  it('sends each query to the provider its source names, and keeps counters between a window’s start and its measure', async () => {
    let served = 0;
    const server = http.createServer((_req, res) => {
      served += 1;
      res.end(`jobs_done_total{variant="canary"} ${served * 10}\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const clock = fixedClock(window.start);
      const providers = createMetricProviders({ clock, env: () => undefined });
      const settings: MetricSource = metricSourceSchema.parse({ kind: 'prometheus-text', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, metric: 'jobs_done_total', compute: { kind: 'increase' } });
      const query = { metric: 'jobs', service: 'worker', variant: 'canary' as const, window, settings };
      await providers.startWindow(query);
      clock.advance(60_000);
      expect(await providers.measure(query)).toMatchObject({ ok: true, measurement: { value: 10, source: { provider: 'prometheus-text' } } });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('turns whatever a provider throws into an error result', async () => {
    const broken = neverThrowing<unknown>({
      id: 'broken',
      measure: () => Promise.reject(new Error('bug')),
      startWindow: () => Promise.reject(new Error('bug')),
    });
    const query = { metric: 'm', service: 's', variant: 'stable' as const, window, settings: {} };
    await expect(broken.startWindow!(query)).resolves.toBeUndefined();
    expect(await broken.measure(query)).toEqual({ ok: false, error: { metric: 'm', variant: 'stable', window, reason: 'the broken provider failed: bug', source: { provider: 'broken' } } });
  });
});
