import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { steppingClock } from '../../src/core/clock.js';
import type { GatePolicy } from '../../src/core/upgrade/index.js';
import type { SampleService } from '../../src/proxy/sample-service.js';
import { startProxy } from '../../src/proxy/server.js';
import { rolloutLogAction } from '../../src/rollout/reconciler/index.js';
import { beginRollout } from '../../src/rollout/reconciler/index.js';
import { getRollout, listActions } from '../../src/rollout/store/rollouts.js';
import { openStore, type Store } from '../../src/store/open.js';
import { readLog, verifyLog } from '../../src/store/repos/operation-log.js';
import { addEvidence, applyTransition, createUpgrade, getUpgrade } from '../../src/store/repos/upgrades.js';
import { createBuiltinRouter } from '../../src/traffic/routers/builtin/index.js';
import { startVersions } from '../../src/traffic/routers/builtin/testing.js';
import type { Upstream } from '../../src/traffic/traffic-router.contract.js';
import { minute, policy } from '../helpers/rollout.js';
import { authorizedChange } from '../helpers/upgrades.js';

/**
 * The "done when": a reconciler process killed with SIGKILL at random points, 50 times,
 * then run to the end. The rollout resumes from the store each time; at the end no decision is
 * logged twice, the operation log verifies, every step's analysis is recorded once, and the
 * router's weights match the recorded state.
 */

const kills = 50;
const weights = [1, 2, 5, 10, 25, 50, 75, 100];
const gatePolicy: GatePolicy = { rollbackDrillMaxAgeDays: 30 };
let dir: string;
let store: Store;
let versions: Record<Upstream, SampleService>;
let proxy: Awaited<ReturnType<typeof startProxy>>;
const token = 'kill-test-token';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uf-kill-'));
  const clock = steppingClock('2026-12-01T09:00:00.000Z', 1000);
  store = await openStore({ sqlitePath: join(dir, 'factory.db'), clock });
  versions = await startVersions();
  const listen = { host: '127.0.0.1', port: 0 };
  proxy = await startProxy({ listen, admin: listen, adminToken: token, stable: versions.stable.url, canary: versions.canary.url });
  let u = await createUpgrade(
    store,
    { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash', fromVersions: ['1.0.0'], targetVersion: '1.1.0', services: ['checkout'], changeClass: 'standard', createdBy: 'alice', reason: 'test' },
    clock.now(),
  );
  for (const [kind, event] of [['risk_score', 'triage'], ['release_notes_ack', 'start_compat'], ['compat_matrix'], ['rollback_drill']] as const) {
    u = await addEvidence(store, u.id, u.version, { kind, outcome: 'pass', ref: `ref:${kind}`, summary: kind, recordedBy: 'bob', recordedAt: clock.now().toISOString() });
    if (event) u = await applyTransition(store, u.id, u.version, { event, actor: 'bob', reason: 'test', at: clock.now().toISOString() }, gatePolicy);
  }
  await authorizedChange(store, u.id, 'bob');
  await beginRollout(
    store,
    { rolloutId: 'ro_1', upgradeId: u.id, initiator: 'alice', baseline: false, policy: policy('standard', { minDurationMs: 5 * minute, maxDurationMs: 60 * minute, minSamples: 20, analysis: { name: 'slo', intervalMs: minute } }, weights) },
    clock,
  );
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all(Object.values(versions ?? {}).map((v) => v.close()));
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

function runChild(killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'reconciler-child.ts'), join(dir, 'factory.db'), proxy.adminUrl!, token], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // The kill falls at a random point of the work, not of the process's start-up.
      if (killAfterMs !== undefined && !timer && stdout.startsWith('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

it(`resumes a rollout after ${kills} kill -9 at random points: nothing decided twice, the log verifies, weights match`, async () => {
  let killed = 0;
  // Kills that left the rollout unfinished: the run was cut somewhere in the middle.
  let midRollout = 0;
  // Killed runs that had stored decisions before they died: the kills hit a working reconciler.
  let progressed = 0;
  let seq = (await getRollout(store.db, 'ro_1'))!.state.seq;
  for (let runs = 0; killed < kills && runs < 3 * kills; runs++) {
    const result = await runChild(Math.floor(Math.random() * 300));
    if (result.signal === 'SIGKILL') killed += 1;
    else expect(result.code, result.stderr).toBe(0);
    const state = (await getRollout(store.db, 'ro_1'))!.state;
    if (result.signal === 'SIGKILL' && state.phase !== 'done') midRollout += 1;
    if (result.signal === 'SIGKILL' && state.seq > seq) progressed += 1;
    seq = state.seq;
  }
  const last = await runChild();
  expect(last.code, last.stderr).toBe(0);
  expect(JSON.parse(last.stdout.replace('ready\n', '').trim())).toMatchObject({ phase: 'done', weights: { canary: 100 } });
  expect(killed).toBe(kills);
  expect(midRollout).toBeGreaterThanOrEqual(10);
  expect(progressed).toBeGreaterThanOrEqual(10);
  console.info(`kill test: ${killed} kills, ${midRollout} of them mid-rollout, ${progressed} after the run had stored decisions`);

  const rollout = (await getRollout(store.db, 'ro_1'))!;
  expect(rollout.state.phase).toBe('done');
  const upgrade = (await getUpgrade(store.db, rollout.upgradeId))!;
  expect(upgrade.state).toBe('verifying');
  expect(upgrade.evidence.filter((e) => e.kind === 'analysis').map((e) => e.weight)).toEqual(weights);
  const read = await createBuiltinRouter({ adminUrl: proxy.adminUrl!, token }).verifyWeight();
  expect(read.canary).toBe(rollout.state.weights.canary);
  const decisions = [];
  for await (const entry of readLog(store.db, { subject: 'ro_1' })) if (entry.action === rolloutLogAction) decisions.push(entry);
  expect(new Set(decisions.map((d) => d.evidenceRef)).size).toBe(decisions.length);
  const actions = await listActions(store.db, 'ro_1');
  expect(actions.filter((a) => a.status === 'pending')).toEqual([]);
  expect(actions.filter((a) => a.action.kind === 'record-decision').length).toBe(decisions.length);
  expect((await verifyLog(store.db)).ok).toBe(true);
}, 600_000);
