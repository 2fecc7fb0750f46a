import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.js';
import { startSampleService, type SampleService } from './sample-service.js';
import { startProxy, type RunningProxy } from './server.js';
import { VariantMeter } from './variant-meter.js';

// The windows follow the injected clock only: with the wall clock, nothing recorded here would
// leave the 10 s window, because the test takes far less than 10 s of real time.
const t0 = '2026-11-30T10:00:00.000Z';

describe('VariantMeter windows', () => {
  it('place each response at the injected clock and let it age out as that clock moves', () => {
    const clock = fixedClock(t0);
    const meter = new VariantMeter(clock);
    meter.recordResponse(200, 5);
    meter.recordResponse(503, 40);
    meter.recordUpstreamError('reset');
    expect(meter.stats().windows['10s']).toMatchObject({ requests: 2, upstreamErrors: 1, errorRate: 0.5 });

    clock.advance(15_000);
    meter.recordTruncated(12);
    const later = meter.stats();
    expect(later.windows['10s']).toMatchObject({ requests: 1, upstreamErrors: 0, errorRate: 1 });
    expect(later.windows['60s']).toMatchObject({ requests: 3, upstreamErrors: 1 });
    expect(later.total).toMatchObject({ requests: 3, truncated: 1 });

    clock.advance(60_000);
    expect(meter.stats().windows['60s']).toMatchObject({ requests: 0, upstreamErrors: 0, errorRate: null });
  });
});

describe('the built-in router with an injected clock', () => {
  let service: SampleService | undefined;
  let proxy: RunningProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await service?.close();
  });

  it('dates /stats and fills its windows from that clock', async () => {
    const clock = fixedClock(t0);
    service = await startSampleService({ version: 'v1' });
    proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, stable: service.url, canary: service.url, clock });
    const running = proxy;
    for (let i = 0; i < 3; i++) await (await fetch(`${running.url}/x`)).arrayBuffer();
    await expect.poll(() => running.control.stats().variants.stable.total.requests).toBe(3);

    const now = running.control.stats();
    expect(now.at).toBe(t0);
    expect(now.variants.stable.windows['10s'].requests).toBe(3);

    clock.advance(30_000);
    const later = running.control.stats();
    expect(later.at).toBe('2026-11-30T10:00:30.000Z');
    expect(later.variants.stable.windows['10s'].requests).toBe(0);
    expect(later.variants.stable.windows['60s'].requests).toBe(3);
    expect(later.variants.stable.total.requests).toBe(3);
  });
});

describe('VariantMeter snapshots (the sum over router workers)', () => {
  it('adds counts, histogram buckets and window slots of several meters, leaving out slots older than the window', () => {
    const clock = fixedClock(t0);
    const a = new VariantMeter(clock);
    const b = new VariantMeter(clock);
    a.recordResponse(200, 0.5);
    a.recordResponse(503, 40);
    b.recordResponse(200, 3);
    b.recordUpstreamError('reset');
    const old = new VariantMeter(clock);
    old.recordResponse(200, 1);
    const stale = old.snapshot();
    clock.advance(61_000);
    a.recordResponse(200, 2_000);

    const sum = new VariantMeter(clock);
    for (const snapshot of [a.snapshot(), b.snapshot(), stale]) sum.absorb(snapshot);
    const stats = sum.stats();
    expect(stats.total.requests).toBe(5);
    expect(stats.total.byClass).toMatchObject({ '2xx': 4, '5xx': 1 });
    expect(stats.total.upstreamErrors.reset).toBe(1);
    // Only the response recorded after the clock moved is still in the last minute.
    expect(stats.windows['60s'].requests).toBe(1);
    expect(Array.from(sum.durationCounts).reduce((x, y) => x + y, 0)).toBe(5);
    expect(sum.durationCounts[0]).toBe(2); // 0.5 ms and 1 ms are within the 1 ms bucket
    expect(sum.durationSumSeconds).toBeCloseTo(0.0005 + 0.04 + 0.003 + 0.001 + 2, 6);

    sum.clear();
    expect(sum.stats().total.requests).toBe(0);
  });
});
