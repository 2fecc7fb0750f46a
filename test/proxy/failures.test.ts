import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSampleService } from '../../src/proxy/sample-service.js';
import { startProxy, type RunningProxy } from '../../src/proxy/server.js';
import { closedPortUrl, inLanes, send } from './helpers.js';

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (stops.length > 0) await stops.pop()!();
});

async function proxyFor(stable: string, canary: string, canaryWeight: number, timeouts?: { connectMs?: number; responseMs?: number }): Promise<RunningProxy> {
  const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, stable, canary, canaryWeight, timeouts });
  stops.push(() => proxy.close());
  return proxy;
}

/** A TCP server that answers every connection with bytes that are not HTTP. */
async function garbageServer(): Promise<string> {
  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.resume();
    socket.end('SSH-2.0-OpenSSH_9.6 this is not http at all\r\n\r\n\0\0\0');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a canary that cannot be reached', () => {
  it('costs clients nothing: 500 GETs at 100 % canary all answered by stable, errors counted against the canary', async () => {
    const stable = await startSampleService({ version: 'v1' });
    stops.push(() => stable.close());
    const proxy = await proxyFor(stable.url, await closedPortUrl(), 100);
    const answers: number[] = [];
    await inLanes(500, 10, async () => {
      const answer = await send(`${proxy.url}/shop`);
      answers.push(answer.status);
      expect(answer.version).toBe('v1');
    });
    expect(answers.filter((status) => status !== 200)).toEqual([]);
    const { canary, stable: stableStats } = proxy.control.stats().variants;
    expect(canary.total.upstreamErrors.connect_failed).toBe(500);
    expect(canary.total.retriedOnStable).toBe(500);
    expect(canary.total.requests).toBe(0);
    expect(stableStats.total.byClass['2xx']).toBe(500);
  });

  it('retries HEAD, OPTIONS, DELETE and a bodiless POST on stable, but not a POST with a body', async () => {
    const stable = await startSampleService({ version: 'v1' });
    stops.push(() => stable.close());
    const proxy = await proxyFor(stable.url, await closedPortUrl(), 100);
    for (const method of ['HEAD', 'OPTIONS', 'DELETE', 'POST'] as const) expect((await send(`${proxy.url}/x`, { method })).status, method).toBe(200);
    const withBody = await send(`${proxy.url}/x`, { method: 'POST', body: '{"order":1}', headers: { 'content-type': 'application/json' } });
    expect(withBody.status).toBe(502);
    expect(withBody.body).toBe('uf proxy: the canary version is unreachable\n');
  });
});

describe('a canary that cannot be reached, for WebSockets', () => {
  it('opens the WebSocket on stable instead', async () => {
    const stable = await startSampleService({ version: 'v1' });
    stops.push(() => stable.close());
    const proxy = await proxyFor(stable.url, await closedPortUrl(), 100);
    const socket = new WebSocket(`${proxy.url.replace('http', 'ws')}/ws`);
    const echo = await new Promise<string>((resolve, reject) => {
      socket.on('open', () => socket.send('hi'));
      socket.on('message', (data: Buffer) => resolve(data.toString()));
      socket.on('error', reject);
    });
    socket.close();
    expect(echo).toBe('v1:hi');
    expect(proxy.control.stats().variants.canary.total.upstreamErrors.connect_failed).toBe(1);
  });
});

describe('upstream failures answered with a clear 502 or 504', () => {
  it('answers 502 naming the version, but not its address nor the error text, when stable is unreachable too', async () => {
    const stableUrl = await closedPortUrl();
    const proxy = await proxyFor(stableUrl, await closedPortUrl(), 0);
    const answer = await send(`${proxy.url}/`);
    expect(answer.status).toBe(502);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.body).toBe('uf proxy: the stable version is unreachable\n');
    expect(answer.body).not.toContain(new URL(stableUrl).port);
    expect(answer.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    const stats = proxy.control.stats().variants.stable;
    expect(stats.total.byClass['5xx']).toBe(1);
    // The first try and the one retry on stable.
    expect(stats.total.upstreamErrors.connect_failed).toBe(2);
  });

  it('answers 504 when the upstream is slower than the response timeout, and stays up', async () => {
    const slow = await startSampleService({ version: 'v2', latencyMs: 2_000 });
    const stable = await startSampleService({ version: 'v1' });
    stops.push(() => slow.close(), () => stable.close());
    const proxy = await proxyFor(stable.url, slow.url, 100, { responseMs: 200 });
    const started = Date.now();
    const answer = await send(`${proxy.url}/slow`);
    expect(answer.status).toBe(504);
    expect(answer.body).toBe('uf proxy: the canary version did not answer in time\n');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(proxy.control.stats().variants.canary.total.upstreamErrors.response_timeout).toBe(1);
    proxy.control.setWeight(0);
    expect((await send(`${proxy.url}/after`)).status).toBe(200);
  });

  it('answers 502 when the upstream sends something that is not HTTP', async () => {
    const stable = await startSampleService({ version: 'v1' });
    stops.push(() => stable.close());
    const proxy = await proxyFor(stable.url, await garbageServer(), 100);
    const answer = await send(`${proxy.url}/`);
    expect(answer.status).toBe(502);
    expect(answer.body).toBe('uf proxy: the canary version sent an invalid HTTP response\n');
    expect(proxy.control.stats().variants.canary.total.upstreamErrors.bad_response).toBe(1);
    expect(proxy.control.stats().variants.canary.total.byClass['5xx']).toBe(1);
  });

  it('counts 5xx answers of the upstream itself against its version, passing them through', async () => {
    const failing = await startSampleService({ version: 'v2', errorRate: 1 });
    const stable = await startSampleService({ version: 'v1' });
    stops.push(() => failing.close(), () => stable.close());
    const proxy = await proxyFor(stable.url, failing.url, 100);
    const answer = await send(`${proxy.url}/pay`);
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ version: 'v2', path: '/pay', error: 'injected failure' });
    const window = proxy.control.stats().variants.canary.windows['10s'];
    expect(window).toMatchObject({ requests: 1, errorRate: 1, upstreamErrors: 0 });
  });
});
