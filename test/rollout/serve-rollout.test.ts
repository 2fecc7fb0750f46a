import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutView } from '../../src/app/rollouts.js';
import { startSampleService, type SampleService } from '../../src/proxy/sample-service.js';
import { openStore } from '../../src/store/open.js';
import { createToken } from '../../src/store/repos/tokens.js';
import { runUf, ufBin } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';

/**
 * `uf serve` drives a rollout for real: its built-in router carries the test's traffic, the
 * analysis reads the router's own measurements, approvals arrive through the API from a person
 * other than the initiator, and the rollout reaches 100% with the log chain intact.
 */
describe('uf serve drives rollouts', { timeout: 180_000 }, () => {
  let dir: string;
  let stable: SampleService;
  let canary: SampleService;
  let serve: ChildProcess | undefined;
  let address: string;
  let routerUrl: string;
  let upgradeId: string;
  const secrets: Record<string, string> = {};
  const adminToken = 'router-admin-token-for-the-test';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-serve-rollout-'));
    stable = await startSampleService({ version: 'v1', latencyMs: 2 });
    canary = await startSampleService({ version: 'v2', latencyMs: 3 });
    const [listen, admin] = [await freePort(), await freePort()];
    routerUrl = `http://127.0.0.1:${listen}`;
    const source = (stat: string) => ({ kind: 'builtin', adminUrl: `http://127.0.0.1:${admin}`, tokenEnv: 'UF_ADMIN_TOKEN', stat });
    writeFileSync(
      join(dir, 'factory.yaml'),
      stringify({
        version: 1,
        name: 'serve-rollout-test',
        store: { path: 'factory.db' },
        traffic: { routers: [{ kind: 'builtin', service: 'checkout', listen: `127.0.0.1:${listen}`, admin: `127.0.0.1:${admin}`, stable: stable.url, canary: canary.url }] },
        deployers: [{ service: 'checkout', kind: 'sample', health: { intervalMs: 100 } }],
        rollout: {
          analyses: {
            slo: {
              interval: '1s',
              window: '5s',
              metrics: [
                { name: 'p95_latency', source: source('p95') },
                { name: 'error_rate', source: source('error_rate') },
              ],
              judge: { kind: 'threshold', minSamples: 5, checks: [{ metric: 'p95_latency', max: 250 }, { metric: 'error_rate', max: 0.05 }] },
            },
          },
          defaults: { analysis: 'slo', minDuration: '2s', maxDuration: '2m', minSamples: 5, verification: { window: '3s', interval: '1s' } },
        },
      }),
    );
    const store = await openStore({ sqlitePath: join(dir, 'factory.db') });
    upgradeId = await upgradeAtCompat(store, { clock: store.clock, name: 'express', fromVersion: '4.18.2', toVersion: '4.21.2' });
    for (const [user, role] of [['alice', 'operator'], ['bob', 'approver']] as const) secrets[user] = (await createToken(store, { name: user, role, actor: 'user:setup', user })).secret;
    await store.close();

    serve = spawn(process.execPath, [ufBin, 'serve', '--port', '0', '--no-intake'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, UF_DATABASE_URL: '', UF_ADMIN_TOKEN: adminToken, UF_LOG_LEVEL: 'info' } });
    address = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      serve!.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (const line of buffer.split('\n')) if (line.includes('"upgrade factory serving"')) resolve((JSON.parse(line) as { address: string }).address);
      });
      serve!.on('exit', (code) => reject(new Error(`uf serve exited early with ${code}`)));
    });
  });

  afterAll(async () => {
    if (serve && serve.exitCode === null) serve.kill('SIGKILL');
    await stable?.close();
    await canary?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (user: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${address}${path}`, { method, headers: { authorization: `Bearer ${secrets[user]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('starts through the API, moves only on approvals by another person, and reaches 100%', async () => {
    // Users' traffic through the router, bounded: 10 requests every 100 ms until the rollout ends.
    let sending = true;
    const load = (async () => {
      for (let i = 0; sending && i < 1_500; i++) {
        await Promise.all(Array.from({ length: 10 }, (_, k) => fetch(`${routerUrl}/shop`, { headers: { 'x-user': `u${i}-${k}` } }).then((r) => r.arrayBuffer()).catch(() => undefined)));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      const started = await api('alice', 'POST', '/api/v1/rollouts', { upgradeId });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const id = started.body.id as string;
      const refusals: string[] = [];
      let view: RolloutView | undefined;
      for (let i = 0; i < 480; i++) {
        view = (await api('bob', 'GET', `/api/v1/rollouts/${id}`)).body as unknown as RolloutView;
        if (view.state.phase === 'done' || view.state.phase === 'rolled-back' || view.state.phase === 'paused') break;
        if (view.state.phase === 'awaiting-approval' && !view.state.approvals.some((a) => a.step === view!.state.step && a.attempt === view!.state.attempt)) {
          const self = await api('alice', 'POST', `/api/v1/rollouts/${id}/approve`, { reason: 'mine' });
          refusals.push(String(self.body.message));
          expect(self.status).toBe(403);
          const approved = await api('bob', 'POST', `/api/v1/rollouts/${id}/approve`, { reason: `${view.state.steps[view.state.step]!.weight}% looks healthy` });
          expect([200, 202], JSON.stringify(approved.body)).toContain(approved.status);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(view!.state.phase, JSON.stringify(view!.decisions?.map((d) => d.reason))).toBe('done');
      expect(view!.state.approvals.map((a) => [a.by, a.step])).toEqual([
        ['user:bob', 0],
        ['user:bob', 1],
        ['user:bob', 2],
      ]);
      expect(refusals).toHaveLength(3);
      expect(refusals[0]).toContain('user:alice started this rollout and cannot approve its gates');
      // Every verdict rests on the router's own per-variant measurements.
      const evidence = view!.state.verdicts.at(-1)!.verdict.evidence;
      expect(evidence.map((e) => e.metric).sort()).toEqual(['error_rate', 'p95_latency']);
      expect(evidence[0]!.values.canary!.count).toBeGreaterThanOrEqual(5);
      const upgrade = await api('bob', 'GET', `/api/v1/upgrades/${upgradeId}`);
      // After 100% the rollout verified for its window (the 100% analysis against production) and completed the upgrade.
      expect(view!.state.verification!.outcome).toBe('passed');
      expect(upgrade.body).toMatchObject({ state: 'done', weight: 100 });
    } finally {
      sending = false;
      await load;
    }
    serve!.kill('SIGTERM');
    const [code] = (await once(serve!, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect((await runUf(['log', 'verify'], { cwd: dir })).code).toBe(0);
  });
});
