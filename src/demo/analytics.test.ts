import { afterEach, describe, expect, it } from 'vitest';
import { startSampleService, type SampleService } from '../proxy/sample-service.js';
import { startDemoAnalytics, type DemoAnalytics } from './analytics.js';

let analytics: DemoAnalytics | undefined;
const services: SampleService[] = [];
afterEach(async () => {
  await analytics?.close();
  await Promise.all(services.splice(0).map((s) => s.close()));
});

describe('demo analytics server', () => {
  it('answers the KPIs of the instance running a variant, and 404 when none runs', async () => {
    const canary = await startSampleService({ version: '2.0.0', conversionRate: 0.25 });
    services.push(canary);
    analytics = await startDemoAnalytics((service, variant) => (service === 'cart' && variant === 'canary' ? canary : undefined));
    for (let i = 0; i < 8; i++) await (await fetch(`${canary.url}/checkout`)).arrayBuffer();
    const answer = await fetch(`${analytics.url}/kpi/cart/canary?seconds=10`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ service: 'cart', variant: 'canary', version: '2.0.0', seconds: 10, sessions: 8, conversions: 2, conversion: 0.25, queueBacklog: 0 });
    expect((await fetch(`${analytics.url}/kpi/cart/baseline?seconds=10`)).status).toBe(404);
    expect((await fetch(`${analytics.url}/kpi/cart/other?seconds=10`)).status).toBe(404);
    expect((await fetch(`${analytics.url}/kpi/cart/canary?seconds=-1`)).status).toBe(400);
  });
});
