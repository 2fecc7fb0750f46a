import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeySchema } from '../../config/sections/journeys.js';
import { fixedClock } from '../../core/clock.js';
import { runJourney } from './run.js';
import { checkoutJourney, startShop, type ShopServer } from './testing.js';

const clock = fixedClock('2026-12-02T10:00:00Z');
const journey = (raw: Record<string, unknown>) => journeySchema.parse({ ...checkoutJourney, ...raw });

let shop: ShopServer;
let broken: ShopServer;
beforeAll(async () => {
  shop = await startShop();
  broken = await startShop({ broken: true });
});
afterAll(async () => {
  await shop.close();
  await broken.close();
});

describe('runJourney', () => {
  it('runs a two-step journey whose second step uses what the first captured, and passes', async () => {
    const result = await runJourney(journey({}), { baseUrl: shop.url, headers: { 'x-uf-canary': 'always' } }, { clock });
    expect(result.state).toBe('passing');
    expect(result.reasons).toEqual([]);
    const [login, order] = result.iterations[0]!.steps;
    expect(login).toMatchObject({ name: 'login', status: 200, ok: true, tries: 1, captures: { authToken: '[redacted]', userId: '7', session: '[redacted]' } });
    expect(order).toMatchObject({ name: 'order', request: `GET ${shop.url}/orders/7`, status: 200, ok: true });
    expect(order!.checks.every((check) => check.ok)).toBe(true);
    expect(order!.latencyMs).toBeGreaterThanOrEqual(0);
    // The captured token went out in the second request, and the target's header with every request.
    const orderHit = shop.hits.filter((hit) => hit.path === '/orders/7').at(-1)!;
    expect(orderHit.headers.authorization).toBe('Bearer tok-123');
    expect(orderHit.headers['x-uf-canary']).toBe('always');
    expect(shop.hits.find((hit) => hit.path === '/login')!.headers['content-type']).toBe('application/json');
    expect(result.metrics.http_reqs).toEqual({ count: 2 });
    expect(result.metrics.checks).toMatchObject({ rate: 1, fails: 0 });
    expect(result.startedAt).toBe('2026-12-02T10:00:00.000Z');
  });

  it('is failing when an assertion does not hold, naming the step, the expected and the actual value', async () => {
    const result = await runJourney(journey({}), { baseUrl: broken.url }, { clock });
    expect(result.state).toBe('failing');
    const order = result.iterations[0]!.steps[1]!;
    expect(order.ok).toBe(false);
    expect(order.checks.find((check) => check.check === 'status')).toEqual({ check: 'status', ok: false, expected: '200', actual: '500' });
    expect(result.reasons[0]).toContain('order');
    expect(result.reasons[0]).toContain('expected 200, got 500');
    expect(result.metrics.http_req_failed).toMatchObject({ rate: 0.5 });
  });

  it('is degraded when the checks hold but a threshold is breached, and failing when that threshold is abortOnFail', async () => {
    const degraded = await runJourney(journey({ thresholds: { http_req_duration: ['max<0'], checks: ['rate==1'] } }), { baseUrl: shop.url }, { clock });
    expect(degraded.state).toBe('degraded');
    expect(degraded.thresholds).toEqual([
      expect.objectContaining({ metric: 'http_req_duration', threshold: 'max<0', ok: false, abortOnFail: false }),
      expect.objectContaining({ metric: 'checks', threshold: 'rate==1', ok: true, observed: 1 }),
    ]);
    expect(degraded.reasons).toEqual([expect.stringMatching(/^threshold http_req_duration max<0 breached: observed \d/)]);

    const failing = await runJourney(journey({ thresholds: { http_req_duration: [{ threshold: 'p(95)<0', abortOnFail: true }] } }), { baseUrl: shop.url }, { clock });
    expect(failing.state).toBe('failing');
    expect(failing.reasons[0]).toContain('(abortOnFail)');
  });

  it('is degraded when a step passes only on a retry', async () => {
    const flaky = journey({ steps: [{ url: '/flaky', retries: 1, expect: { status: 200 } }] });
    const result = await runJourney(flaky, { baseUrl: shop.url }, { clock });
    expect(result.state).toBe('degraded');
    expect(result.iterations[0]!.steps[0]).toMatchObject({ tries: 2, ok: true, status: 200 });
    expect(result.reasons).toContain('a step passed only on a retry');
  });

  it('never follows a redirect to another host, and follows one on the same host', async () => {
    const away = await runJourney(journey({ steps: [{ url: '/away' }] }), { baseUrl: shop.url }, { clock });
    expect(away.state).toBe('failing');
    expect(away.iterations[0]!.steps[0]!.checks[0]).toMatchObject({ check: 'redirect', ok: false, actual: 'redirected to another host, not followed: http://other-host.invalid/steal' });
    const here = await runJourney(journey({ steps: [{ url: '/here', expect: { status: 401 } }] }), { baseUrl: shop.url }, { clock });
    expect(here.iterations[0]!.steps[0]).toMatchObject({ ok: true, status: 401, request: `GET ${shop.url}/orders/here` });
  });

  it('gives up on a target that does not answer within the step timeout', async () => {
    const slow = await startShop({ delayMs: 2_000 });
    try {
      const started = performance.now();
      const result = await runJourney(journey({ steps: [{ url: '/login', method: 'POST', timeout: '200ms' }] }), { baseUrl: slow.url }, { clock });
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(result.state).toBe('failing');
      expect(result.reasons[0]).toContain('no complete answer within 200 ms');
    } finally {
      await slow.close();
    }
  });

  it('runs every iteration with fresh captures and aggregates them', async () => {
    const result = await runJourney(journey({ thresholds: { http_reqs: ['count==6'], iteration_duration: ['max<10000'] } }), { baseUrl: shop.url }, { clock }, { iterations: 3 });
    expect(result.iterations).toHaveLength(3);
    expect(result.state).toBe('passing');
    expect(result.metrics.http_reqs).toEqual({ count: 6 });
  });
});
