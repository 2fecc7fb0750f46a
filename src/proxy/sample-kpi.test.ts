import { afterEach, describe, expect, it } from 'vitest';
import { KpiCounter, type KpiBehaviour } from './sample-kpi.js';
import { startSampleService, type SampleService } from './sample-service.js';

function counter(behaviour: KpiBehaviour) {
  let now = 10_000;
  const kpi = new KpiCounter(() => behaviour, () => now);
  return { kpi, advance: (ms: number) => (now += ms) };
}

describe('KPI counter of a sample service', () => {
  it('converts exactly floor(n * rate) of n successful sessions, and failed sessions never', () => {
    const { kpi } = counter({ conversionRate: 0.3, queueDrainPerSecond: undefined });
    for (let i = 0; i < 10; i++) kpi.session(true);
    expect(kpi.report(60)).toMatchObject({ sessions: 10, conversions: 3, conversion: 0.3 });
    for (let i = 0; i < 10; i++) kpi.session(false);
    expect(kpi.report(60)).toMatchObject({ sessions: 20, conversions: 3, conversion: 0.15 });
    for (let i = 0; i < 7; i++) kpi.session(true);
    // 17 successes: floor(17 * 0.3) = 5.
    expect(kpi.report(60).conversions).toBe(5);
  });

  it('counts only the sessions of the window asked for', () => {
    const { kpi, advance } = counter({ conversionRate: 1, queueDrainPerSecond: undefined });
    for (let i = 0; i < 5; i++) kpi.session(true);
    advance(20_000);
    for (let i = 0; i < 3; i++) kpi.session(true);
    expect(kpi.report(10)).toMatchObject({ sessions: 3, conversions: 3 });
    expect(kpi.report(60)).toMatchObject({ sessions: 8, conversions: 8 });
    advance(61_000);
    expect(kpi.report(60)).toMatchObject({ sessions: 0, conversions: 0, conversion: null });
  });

  it('builds a backlog when sessions come faster than the queue drains, and works it off', () => {
    const { kpi, advance } = counter({ conversionRate: 0, queueDrainPerSecond: 10 });
    for (let i = 0; i < 50; i++) {
      kpi.session(true);
      advance(20); // 50 a second against 10 drained a second
    }
    const busy = kpi.report(10);
    expect(busy.queueBacklog).toBe(40);
    expect(busy.peakQueueBacklog).toBeGreaterThanOrEqual(40);
    advance(2_000);
    expect(kpi.report(10).queueBacklog).toBe(20);
    advance(10_000);
    expect(kpi.report(10).queueBacklog).toBe(0);
  });

  it('keeps no backlog when the queue drains as fast as sessions come', () => {
    const { kpi } = counter({ conversionRate: 0, queueDrainPerSecond: undefined });
    for (let i = 0; i < 100; i++) kpi.session(true);
    expect(kpi.report(60)).toMatchObject({ queueBacklog: 0, peakQueueBacklog: 0 });
  });
});

describe('GET /kpi of a sample service', () => {
  let service: SampleService | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  it('reports the sessions it served, not its helper paths, and refuses a bad window', async () => {
    service = await startSampleService({ version: 'v3', conversionRate: 0.5, errorRate: 0 });
    for (let i = 0; i < 8; i++) await (await fetch(`${service.url}/checkout`)).arrayBuffer();
    await (await fetch(`${service.url}/healthz`)).arrayBuffer();
    await (await fetch(`${service.url}/headers`)).arrayBuffer();
    const report = (await (await fetch(`${service.url}/kpi?seconds=30`)).json()) as Record<string, unknown>;
    expect(report).toMatchObject({ version: 'v3', seconds: 30, sessions: 8, conversions: 4, conversion: 0.5, queueBacklog: 0 });
    expect(service.kpi(30).sessions).toBe(8);
    expect((await fetch(`${service.url}/kpi?seconds=0`)).status).toBe(400);
    expect((await fetch(`${service.url}/kpi?seconds=abc`)).status).toBe(400);
  });
});
