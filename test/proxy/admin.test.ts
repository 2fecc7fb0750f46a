import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inLanes, send, startStack, type Stack } from './helpers.js';

const token = 's3cret-admin-token';
const auth = { authorization: `Bearer ${token}` };
let stack: Stack;
let admin: string;

beforeAll(async () => {
  stack = await startStack({ stable: { latencyMs: 20 }, canary: { latencyMs: 60 }, proxy: { adminToken: token, drainTimeoutMs: 3_000 } });
  admin = stack.proxy.adminUrl!;
});
afterAll(() => stack.close());

const json = (body: unknown) => ({ headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('admin API authentication', () => {
  it('refuses every endpoint but /healthz without the bearer token (401), and with a wrong one', async () => {
    for (const path of ['/metrics', '/stats', '/weights']) {
      const answer = await send(`${admin}${path}`);
      expect(answer.status, path).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="uf-proxy"');
    }
    expect((await send(`${admin}/weights`, { method: 'PUT', ...json({ canary: 50 }), headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await send(`${admin}/reset`, { method: 'POST' })).status).toBe(401);
    expect(stack.proxy.control.weights().canary).toBe(0);
    expect((await send(`${admin}/healthz`)).status).toBe(200);
  });
});

describe('stats', () => {
  it('summarises the last N seconds on request, 1 to 60, and refuses anything else with 400', async () => {
    const answer = JSON.parse((await send(`${admin}/stats?seconds=25`, { headers: auth })).body) as { variants: Record<string, { windows: Record<string, unknown> }> };
    expect(Object.keys(answer.variants.canary!.windows).sort()).toEqual(['10s', '25s', '60s']);
    for (const bad of ['0', '61', '2.5', '-1', '', 'ten', '1e1']) {
      const refused = await send(`${admin}/stats?seconds=${bad}`, { headers: auth });
      expect(refused.status, bad).toBe(400);
      expect(JSON.parse(refused.body).message).toBe('seconds must be a whole number from 1 to 60');
    }
  });
});

describe('weights and routes', () => {
  it('reads and sets the canary weight', async () => {
    expect(JSON.parse((await send(`${admin}/weights`, { headers: auth })).body)).toMatchObject({ canary: 0, stable: 100, route: null });
    const set = await send(`${admin}/weights`, { method: 'PUT', ...json({ canary: 12.5 }) });
    expect(set.status).toBe(200);
    expect(JSON.parse(set.body)).toMatchObject({ canary: 12.5, stable: 87.5 });
    expect(JSON.parse((await send(`${admin}/weights`, { headers: auth })).body)).toMatchObject({ canary: 12.5 });
  });

  it('refuses bad weights with 400 and keeps the weights in force', async () => {
    for (const body of [{ canary: 101 }, { canary: -1 }, { canary: '5' }, {}]) {
      const answer = await send(`${admin}/weights`, { method: 'PUT', ...json(body) });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'bad_request' });
    }
    expect((await send(`${admin}/weights`, { method: 'PUT', headers: auth, body: 'not json' })).status).toBe(400);
    for (const body of ['{"canary": 1e999}', '{"canary": null}', '{"canary": "NaN"}', '{"canary": [5]}', '50']) {
      expect((await send(`${admin}/weights`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body })).status, body).toBe(400);
    }
    // An in-process caller is held to the same rule.
    for (const bad of [NaN, -0.5, 100.5, Infinity]) expect(() => stack.proxy.control.setWeight(bad), String(bad)).toThrow(/must be a number from 0 to 100/);
    expect(stack.proxy.control.weights().canary).toBe(12.5);
  });

  it('sets and removes an override route', async () => {
    const set = await send(`${admin}/route`, { method: 'PUT', ...json({ kind: 'header', name: 'x-canary', value: 'please' }) });
    expect(JSON.parse(set.body).route).toEqual({ kind: 'header', name: 'x-canary', value: 'please', variant: 'canary' });
    expect((await send(`${stack.proxy.url}/`, { headers: { 'x-canary': 'please' } })).version).toBe('v2');
    expect((await send(`${admin}/route`, { method: 'PUT', ...json({ kind: 'query', name: 'x', value: 'y' }) })).status).toBe(400);
    const removed = await send(`${admin}/route`, { method: 'DELETE', headers: auth });
    expect(JSON.parse(removed.body).route).toBeNull();
  });

  it('resets to stable and waits for canary requests in flight to finish (draining)', async () => {
    stack.proxy.control.setWeight(100);
    const inFlight = send(`${stack.proxy.url}/slow-one`);
    await expect.poll(() => stack.proxy.control.stats().variants.canary.inFlight).toBe(1);
    const reset = await send(`${admin}/reset`, { method: 'POST', headers: auth });
    expect(JSON.parse(reset.body)).toMatchObject({ canary: 0, stable: 100, route: null, drained: true, canaryInFlight: 0 });
    // The request that was on the canary when the weight changed was not dropped.
    const answer = await inFlight;
    expect([answer.status, answer.version]).toEqual([200, 'v2']);
    expect((await send(`${stack.proxy.url}/after`)).version).toBe('v1');
  });

  it('answers 404 for unknown paths and 405 for unknown methods', async () => {
    expect((await send(`${admin}/nope`, { headers: auth })).status).toBe(404);
    expect((await send(`${admin}/weights`, { method: 'DELETE', headers: auth })).status).toBe(405);
  });
});

describe('measurements', () => {
  it('reports per-version counts and p50/p95/p99 over 10 s and 60 s as JSON on /stats', async () => {
    stack.proxy.control.setWeight(50);
    await inLanes(200, 20, async () => void (await send(`${stack.proxy.url}/measured`)));
    const stats = JSON.parse((await send(`${admin}/stats`, { headers: auth })).body);
    expect(stats.weights).toMatchObject({ canary: 50, stable: 50 });
    for (const [variant, latency] of [['stable', 20], ['canary', 60]] as const) {
      const window = stats.variants[variant].windows['10s'];
      expect(window.seconds).toBe(10);
      expect(window.requests).toBeGreaterThan(60);
      expect(window.byClass['2xx']).toBe(window.requests);
      expect(window.errorRate).toBe(0);
      // The sample service sleeps `latency` ms; the buckets are within 3.2 %.
      expect(window.p50).toBeGreaterThanOrEqual(latency * 0.968);
      expect(window.p50).toBeLessThan(latency + 100);
      expect(window.p95).toBeGreaterThanOrEqual(window.p50);
      expect(window.p99).toBeGreaterThanOrEqual(window.p95);
      expect(stats.variants[variant].windows['60s'].requests).toBeGreaterThanOrEqual(window.requests);
    }
    expect(stats.variants.stable.windows['10s'].requests + stats.variants.canary.windows['10s'].requests).toBeGreaterThanOrEqual(200);
    expect(stats.variants.canary.windows['10s'].p50 - stats.variants.stable.windows['10s'].p50).toBeGreaterThan(20);
  });

  it('exposes Prometheus text on /metrics with per-version counters and a latency histogram', async () => {
    const answer = await send(`${admin}/metrics`, { headers: auth });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = answer.body;
    expect(text).toMatch(/^# TYPE uf_proxy_requests_total counter$/m);
    expect(text).toMatch(/^uf_proxy_requests_total\{variant="stable",class="2xx"\} [1-9]\d*$/m);
    expect(text).toMatch(/^uf_proxy_requests_total\{variant="canary",class="2xx"\} [1-9]\d*$/m);
    expect(text).toMatch(/^# TYPE uf_proxy_request_duration_seconds histogram$/m);
    expect(text).toMatch(/^uf_proxy_request_duration_seconds_bucket\{le="0\.1",variant="canary"\} [1-9]\d*$/m);
    expect(text).toMatch(/^uf_proxy_request_duration_seconds_count\{variant="stable"\} [1-9]\d*$/m);
    expect(text).toMatch(/^uf_proxy_upstream_errors_total\{variant="canary",kind="connect_failed"\} 0$/m);
    expect(text).toMatch(/^uf_proxy_in_flight_requests\{variant="canary"\} 0$/m);
    expect(text).toMatch(/^uf_proxy_canary_weight_percent 50$/m);
  });
});
