import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatMatrix, runCompatWorker, settleRun, startCompatRun, waiveCell } from '../../src/app/compat.js';
import { composeRoot, type AppRoot } from '../../src/app/root.js';
import { claimJob, completeJob, renewJob, type ClaimedJob } from '../../src/compat/store/jobs.js';
import type { CheckOutcome, CheckRequest, CheckRunner } from '../../src/compat/types.js';
import { fixedClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { applyTransition, getUpgrade } from '../../src/store/repos/upgrades.js';
import { verifyLog } from '../../src/store/repos/operation-log.js';
import { storeTargets } from '../helpers/stores.js';
import { upgradeInCompat } from '../helpers/upgrades.js';

/**
 * The matrix's queue and gate on both stores: planning rows × columns, fail-fast phases, leases
 * that expire and are taken over with exactly one stored result, the verdict recorded as
 * compat_matrix evidence, and waivers. The runners here answer from their spec (`outcome`), so
 * the test is about the queue and the gate; each real runner has its own contract suite.
 */
const config = `
version: 1
compat:
  leaseTtl: 2s
  maxAttempts: 2
  checks:
    - id: login
      kind: command
      tags: [auth]
      argv: [login-smoke, "{{service}}", "{{toVersion}}"]
    - id: api
      kind: command
      argv: [api-check, "{{consumer}}"]
    - id: perf
      kind: command
      required: false
      argv: [perf]
    - id: plugins
      kind: constraints
      appliesTo: extensions
  consumers:
    - { service: checkout, name: promo-plugin, kind: plugin, manifests: [plugins/promo/package.json] }
    - { service: elsewhere, name: not-ours, kind: plugin, manifests: [x.json] }
`;

/** Answers each cell from a table keyed `consumer/check`; pass when the cell is not listed. */
function tableRunners(table: Record<string, CheckOutcome['status']>, seen: CheckRequest[] = []): Record<string, CheckRunner> {
  const runner = (kind: string): CheckRunner => ({
    kind,
    run: (request) => {
      seen.push(request);
      const status = table[`${request.consumer.id}/${request.checkId}`] ?? 'pass';
      return Promise.resolve({ status, summary: `${request.checkId} on ${request.consumer.id}: ${status}`, ...(status === 'fail' ? { ruleId: 'test-rule', exitCode: 1 } : {}) });
    },
  });
  return { command: runner('command'), constraints: runner('constraints') };
}

for (const target of storeTargets) {
  describe.skipIf(target.skip)(`compatibility matrix queue and gate (${target.dialect})`, () => {
    let dir: string;
    let root: AppRoot;
    let cleanup: () => Promise<void>;
    const clock = fixedClock('2026-12-01T10:00:00Z');

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'uf-compat-'));
      writeFileSync(join(dir, 'factory.yaml'), config);
      const opened = await target.open({ clock });
      cleanup = opened.cleanup;
      const parts = composeRoot(loadConfig(join(dir, 'factory.yaml')), { clock, logger: pino({ level: 'silent' }) });
      root = { ...parts, store: opened.store, close: () => parts.adapters.close() };
    });
    afterAll(async () => {
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const upgrade = (name: string, services = ['checkout', 'search']) => upgradeInCompat(root.store, { clock, name, services });

    it('plans services and their declared extensions as rows, fills placeholders, and opens the gate when every required cell passes', async () => {
      const id = await upgrade('left-pad');
      const seen: CheckRequest[] = [];
      const { run } = await startCompatRun(root, id, 'user:carol');
      expect(run.plan.consumers.map((c) => c.id)).toEqual(['checkout', 'search', 'checkout/promo-plugin']);
      // 3 command checks on 2 services + constraints on the one extension.
      expect(run.plan.cells).toHaveLength(7);
      expect(run.plan.cells.find((c) => c.checkId === 'login' && c.consumerId === 'search')?.request.spec).toMatchObject({ argv: ['login-smoke', 'search', '1.1.0'] });
      expect(run.plan.cells.find((c) => c.consumerId === 'checkout/promo-plugin')?.request.consumer.manifests).toEqual([join(dir, 'plugins/promo/package.json')]);

      await runCompatWorker(root, { signal: new AbortController().signal, exitWhenIdle: true, runners: tableRunners({ 'search/perf': 'fail' }, seen) });
      // Fail-fast checks ran before every other cell.
      expect(seen.slice(0, 2).map((r) => r.checkId)).toEqual(['login', 'login']);
      const view = await compatMatrix(root, id);
      expect(view.runStatus).toBe('complete');
      // perf is optional: its failure does not hold the gate.
      expect(view.verdict).toBe('pass');
      expect(view.counts).toMatchObject({ pass: 6, fail: 1 });
      const stored = await getUpgrade(root.store.db, id);
      const evidence = stored!.evidence.filter((e) => e.kind === 'compat_matrix');
      expect(evidence.at(-1)).toMatchObject({ outcome: 'pass', ref: `compat:${run.id}`, recordedBy: 'uf:compat' });
      const moved = await applyTransition(root.store, id, stored!.version, { event: 'start_canary', actor: 'user:carol', reason: 'go', at: clock.now().toISOString() }, { rollbackDrillMaxAgeDays: 30 });
      expect(moved.state).toBe('canary');
    });

    it('stops the rest when a fail-fast check fails, keeps the gate closed, and opens it only through waivers with a role and a reason', async () => {
      const id = await upgrade('tiny-lib');
      await startCompatRun(root, id, 'user:carol');
      const seen: CheckRequest[] = [];
      await runCompatWorker(root, { signal: new AbortController().signal, exitWhenIdle: true, runners: tableRunners({ 'search/login': 'fail' }, seen) });
      expect(seen.map((r) => r.checkId)).toEqual(['login', 'login']);
      const view = await compatMatrix(root, id);
      expect(view.verdict).toBe('fail');
      expect(view.counts).toMatchObject({ pass: 1, fail: 1, skipped: 5 });
      expect(view.cells['checkout']!['api']).toMatchObject({ state: 'result', status: 'skipped' });
      // The failure that decided comes first, before the cells it stopped.
      expect(view.blocking[0]).toMatchObject({ consumerId: 'search', checkId: 'login', status: 'fail' });
      expect(view.blocking.slice(1).every((b) => b.status === 'skipped')).toBe(true);
      let stored = await getUpgrade(root.store.db, id);
      expect(stored!.evidence.filter((e) => e.kind === 'compat_matrix').at(-1)?.outcome).toBe('fail');
      await expect(applyTransition(root.store, id, stored!.version, { event: 'start_canary', actor: 'user:carol', reason: 'go', at: clock.now().toISOString() }, { rollbackDrillMaxAgeDays: 30 })).rejects.toThrow(/compat_matrix/);

      await expect(waiveCell(root, { upgradeId: id, consumerId: 'search', checkId: 'login', role: 'operator', reason: 'login smoke is flaky on search', actor: 'user:dan' })).rejects.toThrow(/may not waive/);
      await expect(waiveCell(root, { upgradeId: id, consumerId: 'search', checkId: 'login', role: 'approver', reason: 'ok', actor: 'user:dan' })).rejects.toThrow(/reason of at least/);
      await expect(waiveCell(root, { upgradeId: id, consumerId: 'checkout', checkId: 'login', role: 'approver', reason: 'passed anyway, nothing here', actor: 'user:dan' })).rejects.toThrow(/nothing to waive/);
      // Waiving every required cell that did not pass opens the gate.
      for (const cell of view.blocking) {
        await waiveCell(root, { upgradeId: id, consumerId: cell.consumerId, checkId: cell.checkId, role: 'security', reason: `accepted for this release: ${cell.summary}`, actor: 'user:erin' });
      }
      const after = await compatMatrix(root, id);
      expect(after.verdict).toBe('pass');
      expect(after.waivers).toHaveLength(view.blocking.length);
      stored = await getUpgrade(root.store.db, id);
      expect(stored!.evidence.filter((e) => e.kind === 'compat_matrix').at(-1)?.outcome).toBe('pass');
      const log = await verifyLog(root.store.db);
      expect(log.ok).toBe(true);
    });

    it('gives a job whose worker stopped to another after its lease expires, and stores exactly one result', async () => {
      const id = await upgrade('lease-lib', ['checkout']);
      const { run } = await startCompatRun(root, id, 'user:carol');
      const first = await claimJob(root.store.db, 'worker-a', 2_000, clock.now());
      expect(first).toMatchObject({ runId: run.id, checkId: 'login', attempts: 1 });
      // Held: nobody else gets it, and phase 1 waits for it.
      expect(await claimJob(root.store.db, 'worker-b', 2_000, clock.now())).toBeUndefined();
      clock.advance(2_500);
      const second = await claimJob(root.store.db, 'worker-b', 2_000, clock.now());
      expect(second).toMatchObject({ id: first!.id, attempts: 2, holder: 'worker-b' });
      // The first worker comes back: its lease is gone, its result is refused.
      expect(await renewJob(root.store.db, first!, 2_000, clock.now())).toBe(false);
      expect((await completeJob(root.store.db, first!, { status: 'fail', summary: 'late' }, 10, clock.now())).stored).toBe(false);
      expect((await completeJob(root.store.db, second!, { status: 'pass', summary: 'ok' }, 10, clock.now())).stored).toBe(true);
      const view = await compatMatrix(root, id);
      const cell = view.cells['checkout']!['login']!;
      expect(cell).toMatchObject({ state: 'result', status: 'pass' });
      expect(cell.state === 'result' && cell.cell.worker).toBe('worker-b');
      expect(cell.state === 'result' && cell.cell.attempts).toBe(2);
      await runCompatWorker(root, { signal: new AbortController().signal, exitWhenIdle: true, runners: tableRunners({}) });
      expect((await compatMatrix(root, id)).verdict).toBe('pass');
    });

    it('completes the run when two workers store its last two cells at the same moment', async () => {
      // On PostgreSQL each transaction saw the other's job still open and neither completed the run.
      for (let round = 0; round < 8; round++) {
        const id = await upgrade(`race-lib-${round}`, ['search']);
        const { run } = await startCompatRun(root, id, 'user:carol');
        const pass = (job: ClaimedJob) => completeJob(root.store.db, job, { status: 'pass', summary: 'ok' }, 1, clock.now());
        // Every job claimable now, each by a worker of its own.
        const claimAll = async () => {
          const jobs: ClaimedJob[] = [];
          for (let job = await claimJob(root.store.db, 'w1', 60_000, clock.now()); job !== undefined; job = await claimJob(root.store.db, `w${jobs.length + 2}`, 60_000, clock.now())) jobs.push(job);
          return jobs;
        };
        // login (fail-fast, phase 0) first, then the phase-1 cells all at once.
        for (const job of await claimAll()) await pass(job);
        const claimed = await claimAll();
        expect(claimed.length).toBeGreaterThanOrEqual(2);
        const [last, secondLast, ...rest] = claimed;
        for (const job of rest) await pass(job);
        const results = await Promise.all([last!, secondLast!].map(pass));
        expect(results.map((r) => r.stored)).toEqual([true, true]);
        expect(results.filter((r) => r.runFinished)).toHaveLength(1);
        expect((await compatMatrix(root, id, run.id)).runStatus).toBe('complete');
      }
    });

    it('stores an error cell when every attempt lost its lease, and stops the run as a fail-fast failure', async () => {
      const id = await upgrade('crashy-lib', ['checkout']);
      await startCompatRun(root, id, 'user:carol');
      for (const holder of ['w1', 'w2']) {
        expect(await claimJob(root.store.db, holder, 1_000, clock.now())).toBeDefined();
        clock.advance(1_500);
      }
      // The third claim finds the job out of attempts: an error cell, and the rest skipped.
      expect(await claimJob(root.store.db, 'w3', 1_000, clock.now())).toBeUndefined();
      const view = await compatMatrix(root, id);
      expect(view.cells['checkout']!['login']).toMatchObject({ state: 'result', status: 'error' });
      expect(view.counts.skipped).toBe(3);
      expect(view.runStatus).toBe('complete');
      await settleRun(root, view.runId);
    });

    it('refuses a run outside compat and a hand-recorded compat_matrix when checks are configured', async () => {
      await expect(startCompatRun(root, 'upg_missing', 'user:carol')).rejects.toThrow(/no upgrade/);
      const { recordUpgradeEvidence } = await import('../../src/app/upgrade-actions.js');
      const id = await upgrade('manual-lib', ['checkout']);
      await expect(recordUpgradeEvidence(root, id, { kind: 'compat_matrix', outcome: 'pass', summary: 'looked fine', ref: 'x' }, 'user:carol')).rejects.toThrow(/comes from the matrix/);
    });
  });
}
