import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSampleService, type SampleService } from '../proxy/sample-service.js';
import { startLoad, type LoadOptions } from './load.js';

const services: SampleService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

async function sample(options: Parameters<typeof startSampleService>[0]): Promise<SampleService> {
  const service = await startSampleService(options);
  services.push(service);
  return service;
}

const base: Omit<LoadOptions, 'targets'> = { ratePerSecond: 100, users: 50, userHeader: 'x-user', maxInFlight: 50, path: '/checkout', timeoutMs: 2_000 };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('demo load generator', () => {
  it('sends at the set rate to every target and counts the answers by version', async () => {
    const [a, b] = await Promise.all([sample({ version: 'v1' }), sample({ version: 'v2' })]);
    const load = startLoad({ ...base, targets: [{ name: 'a', url: a.url }, { name: 'b', url: b.url }] });
    await pause(1_000);
    const counts = await load.stop();
    for (const [name, version] of [['a', 'v1'], ['b', 'v2']] as const) {
      expect(counts[name]!.sent).toBeGreaterThanOrEqual(80);
      expect(counts[name]!.sent).toBeLessThanOrEqual(110);
      expect(counts[name]!.failed).toBe(0);
      expect(counts[name]!.ok).toBe(counts[name]!.sent);
      expect(counts[name]!.versions).toEqual({ [version]: counts[name]!.sent });
    }
    expect(a.kpi(60).sessions).toBe(counts.a!.sent);
    const after = counts.a!.sent;
    await pause(200);
    expect(load.counts().a!.sent).toBe(after);
  });

  it('never has more than maxInFlight requests waiting: the rest are skipped, not queued', async () => {
    const slow = await sample({ version: 'v1', latencyMs: 600 });
    const load = startLoad({ ...base, ratePerSecond: 200, maxInFlight: 5, targets: [{ name: 'slow', url: slow.url }] });
    await pause(400);
    const during = load.counts().slow!;
    expect(during.sent).toBe(5);
    expect(during.skipped).toBeGreaterThanOrEqual(40);
    const counts = await load.stop();
    expect(counts.slow).toMatchObject({ sent: 5, ok: 5, failed: 0 });
  });

  it('counts what a client sees fail: 5xx answers, refused connections and timeouts', async () => {
    const failing = await sample({ version: 'v2', errorRate: 1 });
    const hanging = http.createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const closed = await startSampleService({ version: 'gone' });
    await closed.close();
    try {
      const load = startLoad({
        ...base,
        ratePerSecond: 20,
        timeoutMs: 200,
        targets: [
          { name: 'failing', url: failing.url },
          { name: 'closed', url: closed.url },
          { name: 'hanging', url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}` },
        ],
      });
      await pause(500);
      const counts = await load.stop();
      for (const name of ['failing', 'closed', 'hanging']) {
        expect(counts[name]!.sent).toBeGreaterThan(0);
        expect(counts[name]!.failed).toBe(counts[name]!.sent);
        expect(counts[name]!.ok).toBe(0);
      }
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('refuses targets beyond loopback and settings out of bounds', () => {
    const target = [{ name: 'a', url: 'http://127.0.0.1:1' }];
    expect(() => startLoad({ ...base, targets: [{ name: 'a', url: 'http://example.com' }] })).toThrow(/loopback/);
    expect(() => startLoad({ ...base, targets: [{ name: 'a', url: 'https://127.0.0.1:1' }] })).toThrow(/http:\/\//);
    expect(() => startLoad({ ...base, targets: [] })).toThrow(/at least one/);
    expect(() => startLoad({ ...base, ratePerSecond: 5_000, targets: target })).toThrow(/ratePerSecond must be from 1 to 2000/);
    expect(() => startLoad({ ...base, ratePerSecond: 0, targets: target })).toThrow(/ratePerSecond/);
    expect(() => startLoad({ ...base, maxInFlight: 0, targets: target })).toThrow(/maxInFlight/);
    expect(() => startLoad({ ...base, maxInFlight: 1.5, targets: target })).toThrow(/maxInFlight/);
    expect(() => startLoad({ ...base, users: 0, targets: target })).toThrow(/users/);
  });
});
