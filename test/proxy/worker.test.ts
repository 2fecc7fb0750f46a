import { once } from 'node:events';
import { connect } from 'node:net';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factoryConfigSchema } from '../../src/config/schema.js';
import { configuredRouterSpecs, startConfiguredProxies } from '../../src/proxy/in-process.js';
import type { RouterHost } from '../../src/proxy/worker/host.js';
import { freePort } from '../helpers/ports.js';

/**
 * `uf serve`'s built-in routers run in a worker thread: the upstreams and the client here run in
 * another thread too, so that this test's main thread (standing in for the API's) can be blocked.
 */
let prober: Worker;
let upstreams: { stable: string; canary: string };
let host: RouterHost;
let routerUrl: string;

interface Probed {
  samples: Array<{ at: number; ms: number; status: number; version: string }>;
  failures: string[];
}

function probe(durationMs: number, everyMs: number): Promise<Probed> {
  const done = new Promise<Probed>((resolve) => prober.once('message', (message: Probed & { type: string }) => resolve(message)));
  prober.postMessage({ type: 'probe', url: `${routerUrl}/probe`, durationMs, everyMs });
  return done;
}

function blockMainThread(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy: no timer, no socket of this thread is served meanwhile.
  }
}

beforeAll(async () => {
  prober = new Worker(new URL('./fixtures/prober-thread.mjs', import.meta.url));
  [upstreams] = (await once(prober, 'message')) as [{ stable: string; canary: string }];
  const port = await freePort();
  const config = factoryConfigSchema.parse({
    version: 1,
    traffic: { proxies: [{ service: 'checkout', listen: `127.0.0.1:${port}`, stable: upstreams.stable, canary: upstreams.canary, canaryWeight: 0 }] },
  });
  host = (await startConfiguredProxies(configuredRouterSpecs(config, undefined), pino({ level: 'silent' })))!;
  routerUrl = host.routers[0]!.url;
});

afterAll(async () => {
  await host?.close();
  await prober?.terminate();
});

describe('built-in routers in their own thread', () => {
  it('keep answering while the main thread is blocked for 3 s', { timeout: 30_000 }, async () => {
    const result = probe(4_000, 50);
    // Let the prober get going, then block this thread as a heavy synchronous API handler would.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const blockedFrom = Date.now();
    blockMainThread(3_000);
    const blockedFor = Date.now() - blockedFrom;
    const { samples, failures } = await result;
    expect(failures).toEqual([]);
    expect(samples.every((s) => s.status === 200 && s.version === 'v1')).toBe(true);
    // Requests sent while this thread was blocked were answered, each well within a second (a
    // router on this thread would have held them for up to 3 s).
    const duringBlock = samples.filter((s) => s.at >= 400 && s.at + s.ms <= 300 + blockedFor);
    expect(duringBlock.length).toBeGreaterThan(10);
    expect(Math.max(...duringBlock.map((s) => s.ms))).toBeLessThan(1_000);
  });

  it('restarts a crashed worker on the same address with the last weights', { timeout: 30_000 }, async () => {
    const handle = host.routers[0]!;
    await handle.call('setWeight', 100);
    await handle.call('setRoute', { kind: 'header', name: 'x-test', value: 'stable-please', variant: 'stable' });
    const crashed = host.worker;
    await crashed.terminate();
    await expect.poll(() => host.worker !== crashed, { timeout: 10_000 }).toBe(true);
    await expect.poll(() => handle.call('weights').then((w) => w.canary, () => -1), { timeout: 10_000 }).toBe(100);
    expect((await handle.call('weights')).route).toMatchObject({ name: 'x-test', variant: 'stable' });
    const answer = await fetch(`${routerUrl}/after-crash`);
    expect(answer.headers.get('x-version')).toBe('v2');
    const routed = await fetch(`${routerUrl}/after-crash`, { headers: { 'x-test': 'stable-please' } });
    expect(routed.headers.get('x-version')).toBe('v1');
  });

  it('stops its thread and its listener on close', { timeout: 30_000 }, async () => {
    const worker = host.worker;
    const exited = once(worker, 'exit');
    await host.close();
    await exited;
    const { hostname, port } = new URL(routerUrl);
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname);
      socket.on('connect', () => (socket.destroy(), resolve('connected')));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
