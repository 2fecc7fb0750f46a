import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UfError } from '../../src/core/errors.js';
import { runProxyCommand } from '../../src/proxy/command.js';
import { startSampleService, type SampleService } from '../../src/proxy/sample-service.js';
import { startRouterHost } from '../../src/proxy/worker/host.js';
import { inLanes, send, startStack, type Stack } from './helpers.js';

const token = 'baseline-token';
const auth = { authorization: `Bearer ${token}` };
const json = (body: unknown) => ({ headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** v1 stable, v2 canary and v1-baseline (the old version deployed fresh) behind one proxy. */
let stack: Stack;
let baseline: SampleService;
let admin: string;

beforeAll(async () => {
  baseline = await startSampleService({ version: 'v1-baseline', latencyMs: 5 });
  stack = await startStack({ stable: { latencyMs: 5 }, canary: { latencyMs: 40 }, proxy: { adminToken: token, baseline: baseline.url, sticky: { kind: 'header', name: 'x-user' } } });
  admin = stack.proxy.adminUrl!;
});
afterAll(async () => {
  await stack.close();
  await baseline.close();
});

describe('a proxy with a baseline upstream', () => {
  it('sets canary and baseline in one PUT /weights, reports both on GET /weights, and {"canary": N} alone sets the baseline to 0', async () => {
    expect(JSON.parse((await send(`${admin}/weights`, { headers: auth })).body)).toMatchObject({ canary: 0, baseline: 0, stable: 100 });
    const both = await send(`${admin}/weights`, { method: 'PUT', ...json({ canary: 5, baseline: 5 }) });
    expect(both.status).toBe(200);
    expect(JSON.parse(both.body)).toMatchObject({ canary: 5, baseline: 5, stable: 90 });
    const canaryOnly = await send(`${admin}/weights`, { method: 'PUT', ...json({ canary: 10 }) });
    expect(JSON.parse(canaryOnly.body)).toMatchObject({ canary: 10, baseline: 0, stable: 90 });
  });

  it('refuses a sum above 100 or a bad baseline with 400 and keeps the weights in force', async () => {
    await send(`${admin}/weights`, { method: 'PUT', ...json({ canary: 20, baseline: 20 }) });
    for (const body of [{ canary: 60, baseline: 50 }, { canary: 5, baseline: -1 }, { canary: 5, baseline: '5' }, { baseline: 5 }]) {
      const answer = await send(`${admin}/weights`, { method: 'PUT', ...json(body) });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'bad_request' });
    }
    expect(() => stack.proxy.control.setWeights({ canary: 50, baseline: 60 })).toThrow(/add up to more than 100/);
    expect(stack.proxy.control.weights()).toMatchObject({ canary: 20, baseline: 20, stable: 60 });
  });

  it('keeps every user where they were as both weights grow from 5/5 to 25/25', async () => {
    const users = Array.from({ length: 400 }, (_, i) => `user-${i}`);
    const place = async () => {
      const placed = new Map<string, string>();
      await inLanes(users.length, 16, async (i) => void placed.set(users[i]!, (await send(`${stack.proxy.url}/`, { headers: { 'x-user': users[i]! } })).version ?? '?'));
      return placed;
    };
    stack.proxy.control.setWeights({ canary: 5, baseline: 5 });
    const small = await place();
    stack.proxy.control.setWeights({ canary: 25, baseline: 25 });
    const large = await place();
    const moved = [...small].filter(([user, version]) => version !== 'v1' && large.get(user) !== version);
    expect(moved).toEqual([]);
    expect([...small.values()].filter((v) => v === 'v1-baseline').length).toBeGreaterThan(5);
    expect([...large.values()].filter((v) => v === 'v1-baseline').length).toBeGreaterThan(60);
  });

  it('reports the baseline on /stats and /metrics (variant="baseline"), with its own latency', async () => {
    stack.proxy.control.setWeights({ canary: 30, baseline: 30 });
    await inLanes(300, 20, async () => void (await send(`${stack.proxy.url}/measured`)));
    const stats = JSON.parse((await send(`${admin}/stats`, { headers: auth })).body);
    expect(stats.weights).toMatchObject({ canary: 30, baseline: 30, stable: 40 });
    const window = stats.variants.baseline.windows['10s'];
    expect(window.requests).toBeGreaterThan(40);
    expect(window.p50).toBeLessThan(stats.variants.canary.windows['10s'].p50);
    const text = (await send(`${admin}/metrics`, { headers: auth })).body;
    expect(text).toMatch(/^uf_proxy_requests_total\{variant="baseline",class="2xx"\} [1-9]\d*$/m);
    expect(text).toMatch(/^uf_proxy_request_duration_seconds_count\{variant="baseline"\} [1-9]\d*$/m);
    expect(text).toMatch(/^uf_proxy_baseline_weight_percent 30$/m);
  });

  it('resets both weights to 0', async () => {
    stack.proxy.control.setWeights({ canary: 30, baseline: 30 });
    const reset = await send(`${admin}/reset`, { method: 'POST', headers: auth });
    expect(JSON.parse(reset.body)).toMatchObject({ canary: 0, baseline: 0, stable: 100, drained: true, baselineInFlight: 0 });
  });
});

describe('a proxy without a baseline upstream', () => {
  it('refuses a baseline weight (400) and a route to the baseline, and shows no baseline anywhere', async () => {
    const plain = await startStack({ proxy: { adminToken: token } });
    try {
      const url = plain.proxy.adminUrl!;
      const refused = await send(`${url}/weights`, { method: 'PUT', ...json({ canary: 5, baseline: 5 }) });
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body).message).toMatch(/no baseline upstream/);
      expect((await send(`${url}/route`, { method: 'PUT', ...json({ kind: 'header', name: 'x-b', value: '1', variant: 'baseline' }) })).status).toBe(400);
      expect((await send(`${url}/weights`, { method: 'PUT', ...json({ canary: 5, baseline: 0 }) })).status).toBe(200);
      const weights = JSON.parse((await send(`${url}/weights`, { headers: auth })).body);
      expect(weights).not.toHaveProperty('baseline');
      expect(weights).toMatchObject({ canary: 5, stable: 95 });
      expect(JSON.parse((await send(`${url}/stats`, { headers: auth })).body).variants).not.toHaveProperty('baseline');
      const metrics = (await send(`${url}/metrics`, { headers: auth })).body;
      expect(metrics).not.toMatch(/baseline/);
    } finally {
      await plain.close();
    }
  });
});

describe('the worker-thread host', () => {
  it('restarts a crashed worker with the last canary and baseline weights', { timeout: 30_000 }, async () => {
    const host = await startRouterHost(
      [{ service: 'shop', listen: { host: '127.0.0.1', port: 0 }, stable: stack.stable.url, canary: stack.canary.url, baseline: baseline.url, canaryWeight: 0 }],
      { logger: pino({ level: 'silent' }) },
    );
    try {
      const handle = host.routers[0]!;
      expect(handle.hasBaseline).toBe(true);
      await handle.call('setWeights', { canary: 0, baseline: 100 });
      const crashed = host.worker;
      await crashed.terminate();
      await expect.poll(() => host.worker !== crashed, { timeout: 10_000 }).toBe(true);
      await expect.poll(() => handle.call('weights').then((w) => w.baseline, () => -1), { timeout: 10_000 }).toBe(100);
      expect((await send(`${handle.url}/after-crash`)).version).toBe('v1-baseline');
    } finally {
      await host.close();
    }
  });
});

describe('uf proxy --baseline (runProxyCommand)', () => {
  it('serves a third upstream, named in the start line, weighted over the admin API', async () => {
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const lines: string[] = [];
    let proxy!: { url: string; adminUrl: string | undefined };
    const ready = new Promise<void>((resolve) => {
      const run = runProxyCommand(
        { listen: '127.0.0.1:0', admin: '127.0.0.1:0', stable: stack.stable.url, canary: stack.canary.url, baseline: baseline.url },
        { env: {}, logger: pino({ level: 'silent' }), until, out: (line) => lines.push(line), onReady: (p) => ((proxy = p), resolve()) },
      );
      void run.then((code) => lines.push(`exit ${code}`));
    });
    await ready;
    expect(lines[0]).toMatch(/^uf proxy: http:\/\/127\.0\.0\.1:\d+ -> stable .* \/ canary .* at 0% \/ baseline http:\/\/127\.0\.0\.1:\d+\/ \(sticky: none\); admin /);
    const put = await send(`${proxy.adminUrl!}/weights`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ canary: 0, baseline: 100 }) });
    expect(put.status).toBe(200);
    expect((await send(`${proxy.url}/`)).version).toBe('v1-baseline');
    stop();
    await expect.poll(() => lines.at(-1)).toBe('exit 0');
  });

  it('refuses a --baseline that is not an http URL with a usage error', async () => {
    const error = await runProxyCommand({ listen: '127.0.0.1:0', stable: 'http://127.0.0.1:1', canary: 'http://127.0.0.1:2', baseline: 'ftp://x' }, { env: {}, logger: pino({ level: 'silent' }), until: Promise.resolve() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UfError);
    expect((error as UfError).code).toBe('usage');
    expect((error as UfError).message).toMatch(/--baseline must be an http:\/\/ or https:\/\/ URL/);
  });
});
