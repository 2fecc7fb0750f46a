import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleService, type SampleService } from '../../src/proxy/sample-service.js';
import { startProxy, type RunningProxy } from '../../src/proxy/server.js';
import { createBuiltinRouter } from '../../src/traffic/routers/builtin/index.js';
import { randomKey, send } from './helpers.js';

/**
 * The reliability requirement: under steady keep-alive load, change the weights 100 times
 * through the admin API and SIGKILL the canary process mid-run. No GET may fail, and before the
 * kill the canary's share must be within ±1 pp of the weights in force.
 *
 * Figures: 36,000 GETs from 8 concurrent clients; a weight change every 300 responses (100 changes,
 * uniformly random weights 0..100); the kill after 24,000 responses. The share is compared on the
 * requests before the kill whose whole life saw one weight (a request overlapping a change cannot
 * say which weight routed it): about 23,000. The binomial sd of the share is then
 * √(E[p(1−p)]/n) ≈ √(1/6/23,000) ≈ 0.27 pp, so ±1 pp is about 3.7 sd.
 */
const figures = { total: 36_000, lanes: 8, changeEvery: 300, changes: 100, killAfter: 24_000, tolerancePp: 1 };

const childScript = fileURLToPath(new URL('./fixtures/sample-child.ts', import.meta.url));
const token = 'reliability-token';

let stable: SampleService;
let canaryProcess: ChildProcess;
let proxy: RunningProxy;

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

beforeAll(async () => {
  stable = await startSampleService({ version: 'v1', latencyMs: 1, jitterMs: 2 });
  const canary = await startCanaryProcess();
  canaryProcess = canary.child;
  proxy = await startProxy({
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    adminToken: token,
    stable: stable.url,
    canary: canary.url,
    sticky: { kind: 'header', name: 'x-user' },
  });
});

afterAll(async () => {
  if (canaryProcess.exitCode === null && canaryProcess.signalCode === null) canaryProcess.kill('SIGKILL');
  await proxy.close();
  await stable.close();
});

interface Sample {
  weight: number;
  /** No weight change started or was under way during the request's life. */
  clean: boolean;
  beforeKill: boolean;
  sentAfterKill: boolean;
  version: string | undefined;
}

describe('reliability under load', () => {
  it('loses no GET through 100 weight changes and a SIGKILLed canary, and keeps the split within ±1 pp', { timeout: 90_000 }, async () => {
    const router = createBuiltinRouter({ adminUrl: proxy.adminUrl!, token });
    let weight = 0;
    let changesStarted = 0;
    let changesFinished = 0;
    let completed = 0;
    let killed = false;
    let killDone: Promise<unknown> | undefined;
    let changer: Promise<void> = Promise.resolve();
    const failures: string[] = [];
    const samples: Sample[] = [];

    const changeWeight = async (next: number) => {
      changesStarted++;
      await router.setWeight(next);
      weight = next;
      changesFinished++;
    };

    const afterResponse = () => {
      completed++;
      if (completed % figures.changeEvery === 0 && changesStarted < figures.changes) {
        const next = Math.floor(Math.random() * 101);
        changer = changer.then(() => changeWeight(next));
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
          // Half the clients carry a sticky key, half are placed at random per request.
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
    expect(samples).toHaveLength(figures.total);
    expect(changesFinished).toBe(figures.changes);
    expect(killed).toBe(true);

    const judged = samples.filter((s) => s.beforeKill && s.clean);
    const expectedShare = (100 * judged.reduce((sum, s) => sum + s.weight, 0)) / (100 * judged.length);
    const observedShare = (100 * judged.filter((s) => s.version === 'v2').length) / judged.length;
    console.info(`reliability: ${figures.total} GETs in ${seconds.toFixed(1)} s (${(figures.total / seconds).toFixed(0)}/s); ${judged.length} judged; canary share ${observedShare.toFixed(2)} % vs ${expectedShare.toFixed(2)} % expected`);
    expect(judged.length).toBeGreaterThan(20_000);
    expect(Math.abs(observedShare - expectedShare)).toBeLessThanOrEqual(figures.tolerancePp);

    // Once the canary process is gone, stable answers everything.
    const afterKill = samples.filter((s) => s.sentAfterKill);
    expect(afterKill.length).toBeGreaterThan(5_000);
    expect(afterKill.every((s) => s.version === 'v1')).toBe(true);

    const canaryStats = proxy.control.stats().variants.canary.total;
    const errors = canaryStats.upstreamErrors;
    expect(errors.connect_failed + errors.reset).toBeGreaterThan(0);
    expect(canaryStats.retriedOnStable).toBe(errors.connect_failed + errors.reset + errors.connect_timeout);
  });
});
