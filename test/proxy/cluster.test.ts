import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyCluster, type RunningCluster } from '../../src/proxy/cluster/primary.js';
import { startSampleService, type SampleService } from '../../src/proxy/sample-service.js';
import { runTrafficRouterContract } from '../../src/traffic/traffic-router.contract.js';
import { createBuiltinRouter } from '../../src/traffic/routers/builtin/index.js';
import { sendThroughProxy, startVersions } from '../../src/traffic/routers/builtin/testing.js';
import { randomKey, send } from './helpers.js';

/**
 * `uf proxy --workers 2` (startProxyCluster, the code the command runs): the TrafficRouter
 * contract, stickiness across worker processes, the split and zero failed GETs under weight
 * changes and a SIGKILLed canary, sums over the workers, and a killed worker restarted.
 */
const token = 'cluster-token';
const local = { host: '127.0.0.1', port: 0 };

runTrafficRouterContract({
  name: 'builtin --workers 2',
  async setup() {
    const versions = await startVersions();
    const proxy = await startProxyCluster({ workers: 2, listen: local, admin: local, adminToken: token, stable: versions.stable.url, canary: versions.canary.url, baseline: versions.baseline.url });
    return {
      router: createBuiltinRouter({ adminUrl: proxy.adminUrl!, token, baseline: true }),
      // Refuses a baseline weight before calling: the same data plane serves.
      withoutBaseline: createBuiltinRouter({ adminUrl: proxy.adminUrl!, token }),
      send: ({ headers }) => sendThroughProxy(proxy.url, headers),
      async teardown() {
        await proxy.close();
        await Promise.all(Object.values(versions).map((version) => version.close()));
      },
    };
  },
});

const childScript = fileURLToPath(new URL('./fixtures/sample-child.ts', import.meta.url));

function startCanaryProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify({ version: 'v2', latencyMs: 1, jitterMs: 2 })], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve({ child, url: text.trim() });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`canary process exited early (${code})`)));
  });
}

/** Figures as in reliability.test.ts, smaller: 20,000 GETs, a weight change every 300, the canary killed after 14,000. */
const figures = { total: 20_000, lanes: 8, changeEvery: 300, changes: 50, killAfter: 14_000, tolerancePp: 1 };

describe('uf proxy --workers 2', () => {
  let stable: SampleService;
  let slow: SampleService;
  let canaryProcess: ChildProcess;
  let proxy: RunningCluster;

  beforeAll(async () => {
    stable = await startSampleService({ version: 'v1', latencyMs: 1, jitterMs: 2 });
    slow = await startSampleService({ version: 'slow', latencyMs: 1_500 });
    const canary = await startCanaryProcess();
    canaryProcess = canary.child;
    proxy = await startProxyCluster({ workers: 2, listen: local, admin: local, adminToken: token, stable: stable.url, canary: canary.url, sticky: { kind: 'header', name: 'x-user' } });
  }, 60_000);

  afterAll(async () => {
    if (canaryProcess.exitCode === null && canaryProcess.signalCode === null) canaryProcess.kill('SIGKILL');
    await proxy.close();
    await Promise.all([stable.close(), slow.close()]);
  });

  it('keeps a sticky key on one version whichever worker takes the connection', async () => {
    const router = createBuiltinRouter({ adminUrl: proxy.adminUrl!, token });
    await router.setWeight(50);
    // Eight clients of one connection each: the primary hands connections to the workers in turn.
    const clients = Array.from({ length: 8 }, () => new Agent({ connections: 1 }));
    try {
      for (let k = 0; k < 100; k++) {
        const key = randomKey();
        const seen = new Set<string>();
        for (const dispatcher of clients) {
          const response = await request(`${proxy.url}/sticky`, { headers: { 'x-user': key }, dispatcher });
          await response.body.text();
          seen.add(String(response.headers['x-version']));
        }
        expect(seen.size, `key ${key} saw ${[...seen].join(', ')}`).toBe(1);
      }
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
    await router.setWeight(0);
  });

  it('loses no GET through weight changes and a SIGKILLed canary, keeps the split within ±1 pp summed over workers, and sums the measurements', { timeout: 120_000 }, async () => {
    const router = createBuiltinRouter({ adminUrl: proxy.adminUrl!, token });
    const before = await proxy.control.stats();
    const requestsBefore = before.variants.stable.total.requests + before.variants.canary.total.requests;
    let weight = 0;
    let changesStarted = 0;
    let changesFinished = 0;
    let completed = 0;
    let killed = false;
    let killDone: Promise<unknown> | undefined;
    let changer: Promise<void> = Promise.resolve();
    const failures: string[] = [];
    const samples: Array<{ weight: number; clean: boolean; beforeKill: boolean; sentAfterKill: boolean; version: string | undefined }> = [];
    const afterResponse = () => {
      completed++;
      if (completed % figures.changeEvery === 0 && changesStarted < figures.changes) {
        const next = Math.floor(Math.random() * 101);
        changer = changer.then(async () => {
          changesStarted++;
          await router.setWeight(next);
          weight = next;
          changesFinished++;
        });
      }
      if (completed === figures.killAfter) {
        killed = true;
        killDone = new Promise((resolve) => canaryProcess.once('exit', resolve));
        canaryProcess.kill('SIGKILL');
      }
    };
    let issued = 0;
    const lane = async (): Promise<void> => {
      while (issued < figures.total) {
        issued++;
        const startedAt = changesStarted;
        const clean = changesStarted === changesFinished;
        const weightAtSend = weight;
        const sentAfterKill = killed && canaryProcess.signalCode !== null;
        const beforeKill = !killed;
        try {
          const answer = await send(`${proxy.url}/load`, issued % 2 === 0 ? { headers: { 'x-user': randomKey() } } : {});
          if (answer.status !== 200) failures.push(`${answer.status} ${answer.body.slice(0, 120)}`);
          samples.push({ weight: weightAtSend, clean: clean && changesStarted === startedAt, beforeKill: beforeKill && !killed, sentAfterKill, version: answer.version });
        } catch (error) {
          failures.push(String(error));
        }
        afterResponse();
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: figures.lanes }, lane));
    await changer;
    await killDone;
    const seconds = (Date.now() - started) / 1000;

    expect(failures).toEqual([]);
    expect(changesFinished).toBe(figures.changes);
    const judged = samples.filter((s) => s.beforeKill && s.clean);
    const expectedShare = (100 * judged.reduce((sum, s) => sum + s.weight, 0)) / (100 * judged.length);
    const observedShare = (100 * judged.filter((s) => s.version === 'v2').length) / judged.length;
    console.info(`cluster reliability: ${figures.total} GETs in ${seconds.toFixed(1)} s (${(figures.total / seconds).toFixed(0)}/s); ${judged.length} judged; canary share ${observedShare.toFixed(2)} % vs ${expectedShare.toFixed(2)} % expected`);
    expect(judged.length).toBeGreaterThan(11_000);
    expect(Math.abs(observedShare - expectedShare)).toBeLessThanOrEqual(figures.tolerancePp);
    const afterKill = samples.filter((s) => s.sentAfterKill);
    expect(afterKill.length).toBeGreaterThan(3_000);
    expect(afterKill.every((s) => s.version === 'v1')).toBe(true);

    // The admin API's measurements are the sum over both workers: every response is counted once.
    const stats = await proxy.control.stats(60);
    const counted = stats.variants.stable.total.requests + stats.variants.canary.total.requests - requestsBefore;
    expect(counted).toBe(figures.total);
    const errors = stats.variants.canary.total.upstreamErrors;
    expect(errors.connect_failed + errors.reset).toBeGreaterThan(0);
    expect(stats.variants.canary.total.retriedOnStable).toBe(errors.connect_failed + errors.reset + errors.connect_timeout);
    const windowed = stats.variants.stable.windows['60s'].requests + stats.variants.canary.windows['60s'].requests;
    expect(windowed).toBeGreaterThanOrEqual(figures.total);
    const metrics = (await proxy.control.metrics()).text;
    const histogramCount = [...metrics.matchAll(/^uf_proxy_request_duration_seconds_count\{variant="(?:stable|canary)"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    const requestsTotal = [...metrics.matchAll(/^uf_proxy_requests_total\{variant="(?:stable|canary)",class="[1-5]xx"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(histogramCount).toBe(stats.variants.stable.total.requests + stats.variants.canary.total.requests);
    expect(requestsTotal).toBe(histogramCount);
  });

  it('restarts a killed worker with the weights in force, while the other worker finishes its requests in flight', { timeout: 60_000 }, async () => {
    // Stable is slow (1.5 s), the canary is the fast v1 service.
    const cluster = await startProxyCluster({ workers: 2, listen: local, admin: local, stable: slow.url, canary: stable.url });
    const router = createBuiltinRouter({ adminUrl: cluster.adminUrl! });
    try {
      // Eight slow requests on eight connections: the primary hands them to both workers in turn.
      const clients = Array.from({ length: 8 }, () => new Agent({ connections: 1 }));
      const [victim] = cluster.workerPids();
      const answers = clients.map((dispatcher) =>
        request(`${cluster.url}/slow`, { dispatcher }).then(
          async (response) => (await response.body.text(), response.statusCode === 200),
          () => false,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 400));
      process.kill(victim!, 'SIGKILL');
      const succeeded = (await Promise.all(answers)).filter(Boolean).length;
      // The survivor's requests all finish; only the killed worker's connections are cut.
      expect(succeeded).toBeGreaterThanOrEqual(1);
      expect(succeeded).toBeLessThan(8);
      await Promise.all(clients.map((client) => client.close()));
      await expect.poll(() => cluster.workerPids().length === 2 && !cluster.workerPids().includes(victim!), { timeout: 20_000, interval: 100 }).toBe(true);

      // A worker killed after a weight change comes back with that weight, not the start one.
      await router.setWeight(100);
      const [second] = cluster.workerPids();
      process.kill(second!, 'SIGKILL');
      await expect.poll(() => cluster.workerPids().length === 2 && !cluster.workerPids().includes(second!), { timeout: 20_000, interval: 100 }).toBe(true);
      const fresh = Array.from({ length: 8 }, () => new Agent({ connections: 1 }));
      try {
        for (const dispatcher of fresh) {
          const response = await request(`${cluster.url}/after-restart`, { dispatcher });
          await response.body.text();
          expect(response.statusCode).toBe(200);
          expect(response.headers['x-version']).toBe('v1');
        }
      } finally {
        await Promise.all(fresh.map((client) => client.close()));
      }
    } finally {
      await cluster.close();
    }
  });
});
