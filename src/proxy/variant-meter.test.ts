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
