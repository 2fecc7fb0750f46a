import { resolve } from 'node:path';
import { buildMatrix, matrixSummary, type MatrixView } from '../compat/matrix.js';
import { planMatrix } from '../compat/plan.js';
import { jobsOf } from '../compat/store/jobs.js';
import { cellsOf, getRun, insertRun, insertWaiver, latestRun, markSettled, markUnsettled, unsettledRuns, waiversOf, type StoredRun, type StoredWaiver } from '../compat/store/runs.js';
import { upgradeComponents } from '../compat/checks/registry.js';
import type { CheckRunner, Consumer } from '../compat/types.js';
import { runWorker, type WorkerStats } from '../compat/worker.js';
import { withReviewChecks } from '../verify/reviews/checks.js';
import { parseDuration } from '../core/duration.js';
import { UfError } from '../core/errors.js';
import type { Role } from '../core/roles.js';
import type { Upgrade } from '../core/upgrade/index.js';
import { leaseHolder } from '../store/repos/leases.js';
import { appendLog } from '../store/repos/operation-log.js';
import { addEvidenceIn, getUpgrade } from '../store/repos/upgrades.js';
import type { AppRoot } from './root.js';

/**
 * The compatibility-matrix use cases every front end shares: plan and queue a run of an upgrade's
 * matrix, show it, waive a cell, run a worker, and record the finished matrix's verdict on the
 * upgrade as its `compat_matrix` evidence (the compat gate opens on it, and only when every
 * required cell passed or was waived).
 */

export type CompatRoot = Pick<AppRoot, 'store' | 'clock' | 'events' | 'loaded' | 'adapters' | 'logger'>;

/** Finds the extensions a service's manifests and lockfiles declare (the constraints check's discovery). */
export type DiscoverExtensions = (service: string, files: string[], upgrade: Upgrade) => Promise<{ consumers: Consumer[]; problems: string[] }>;

export interface StartedRun {
  run: StoredRun;
  /** Manifests that could not be read while discovering extensions; the run still went ahead. */
  problems: string[];
}

/** Plans the upgrade's matrix and queues its cells; a newer run replaces a running one. */
export async function startCompatRun(root: CompatRoot, upgradeId: string, actor: string): Promise<StartedRun> {
  const upgrade = await requireUpgrade(root, upgradeId);
  if (upgrade.state !== 'compat') {
    throw new UfError('conflict', `upgrade ${upgradeId} is in ${upgrade.state}, not compat: the matrix runs in the compat stage (uf upgrades move ${upgradeId} start_compat)`, { record: upgradeId });
  }
  // Checks that post-implementation reviews of earlier upgrades added for these services run too.
  const { compat } = await withReviewChecks(root.store.db, root.loaded.config.compat, upgrade.services);
  if (compat.checks.length === 0) throw new UfError('usage', 'no compatibility checks are configured: add compat.checks to factory.yaml', { path: 'compat.checks' });
  const discovered: Consumer[] = [];
  const problems: string[] = [];
  for (const entry of compat.manifests.filter((item) => upgrade.services.includes(item.service))) {
    const found = await root.adapters.discoverExtensions(entry.service, entry.files.map((file) => resolvePath(root, file)), upgrade);
    discovered.push(...found.consumers);
    problems.push(...found.problems);
  }
  const plan = planMatrix({
    upgradeId,
    components: upgradeComponents(upgrade),
    services: upgrade.services,
    compat,
    baseDir: root.loaded.baseDir,
    discovered,
  });
  const now = root.clock.now();
  const run = await root.store.db.transaction().execute(async (tx) => {
    const stored = await insertRun(tx, plan, actor, now, compat.maxAttempts);
    await appendLog(
      tx,
      [{ actor, action: 'compat.run', subject: upgradeId, reason: `matrix of ${plan.consumers.length} consumers × ${plan.checks.length} checks queued (${plan.cells.length} cells)`, evidenceRef: stored.id }],
      now,
    );
    return stored;
  });
  publish(root, run.id, upgradeId);
  if (run.status === 'complete') await settleRun(root, run.id);
  return { run, problems };
}

/** The upgrade's latest matrix, or a given run's. */
export async function compatMatrix(root: Pick<AppRoot, 'store'>, upgradeId: string, runId?: string): Promise<MatrixView> {
  const run = runId ? await getRun(root.store.db, runId) : await latestRun(root.store.db, upgradeId);
  if (!run || run.upgradeId !== upgradeId) {
    throw new UfError('not_found', runId ? `no matrix run ${runId} of upgrade ${upgradeId}` : `upgrade ${upgradeId} has no compatibility matrix yet: uf compat run ${upgradeId}`, { record: runId ?? upgradeId });
  }
  const [cells, waivers, jobs] = await Promise.all([cellsOf(root.store.db, run.id), waiversOf(root.store.db, run.id), jobsOf(root.store.db, run.id)]);
  return buildMatrix(run, cells, waivers, jobs);
}

export interface WaiverInput {
  upgradeId: string;
  consumerId: string;
  checkId: string;
  role: Role;
  reason: string;
  actor: string;
}

/**
 * Waives one finished, non-passing cell of the upgrade's latest matrix: the role must be one of
 * `compat.waiverRoles`, the reason is required, and both go to the operation log with the cell's
 * result. A finished matrix is judged again at once.
 */
export async function waiveCell(root: CompatRoot, input: WaiverInput): Promise<{ waiver: StoredWaiver; matrix: MatrixView }> {
  const allowed = root.loaded.config.compat.waiverRoles;
  if (!allowed.includes(input.role)) {
    throw new UfError('forbidden', `role ${input.role} may not waive a compatibility cell: compat.waiverRoles allows ${allowed.join(', ')}`, { path: 'role' });
  }
  if (input.reason.trim().length < 10) throw new UfError('usage', 'a waiver needs a reason of at least 10 characters saying why the failure is acceptable', { path: 'reason' });
  const before = await compatMatrix(root, input.upgradeId);
  const cell = before.cells[input.consumerId]?.[input.checkId];
  if (!cell) {
    throw new UfError('not_found', `the matrix of ${input.upgradeId} has no cell ${input.consumerId} × ${input.checkId}`, { record: `${input.consumerId}/${input.checkId}` });
  }
  if (cell.state !== 'result') throw new UfError('conflict', `cell ${input.consumerId} × ${input.checkId} has no result yet (${cell.state}); waive it once it has one`, { record: before.runId });
  if (cell.status === 'pass') throw new UfError('conflict', `cell ${input.consumerId} × ${input.checkId} passed; there is nothing to waive`, { record: before.runId });
  const now = root.clock.now();
  const waiver = await root.store.db.transaction().execute(async (tx) => {
    const stored = await insertWaiver(tx, {
      runId: before.runId,
      consumerId: input.consumerId,
      checkId: input.checkId,
      role: input.role,
      reason: input.reason.trim(),
      actor: input.actor,
      createdAt: now.toISOString(),
    });
    await appendLog(
      tx,
      [{ actor: input.actor, action: 'compat.waive', subject: input.upgradeId, reason: `${input.consumerId} × ${input.checkId} (${cell.status}: ${cell.cell.summary}) waived as ${input.role}: ${stored.reason}`, evidenceRef: stored.id }],
      now,
    );
    if (before.runStatus === 'complete') await markUnsettled(tx, before.runId);
    return stored;
  });
  if (before.runStatus === 'complete') await settleRun(root, before.runId);
  publish(root, before.runId, input.upgradeId);
  return { waiver, matrix: await compatMatrix(root, input.upgradeId, before.runId) };
}

/**
 * Records a finished run's verdict on its upgrade as `compat_matrix` evidence, once (a run a
 * waiver changed is recorded again). Only the upgrade's latest run counts, and only while the
 * upgrade is in compat: evidence belongs to the stage it was gathered in.
 */
export async function settleRun(root: CompatRoot, runId: string): Promise<MatrixView | undefined> {
  const run = await getRun(root.store.db, runId);
  if (!run || run.status !== 'complete' || run.settledAt !== null) return undefined;
  const view = await compatMatrix(root, run.upgradeId, runId);
  const latest = await latestRun(root.store.db, run.upgradeId);
  const now = root.clock.now();
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const upgrade = await requireUpgrade(root, run.upgradeId);
    try {
      const recorded = await root.store.db.transaction().execute(async (tx) => {
        if (!(await markSettled(tx, runId, now))) return false;
        if (latest?.id !== runId || upgrade.state !== 'compat') return false;
        await addEvidenceIn(tx, upgrade.id, upgrade.version, {
          kind: 'compat_matrix',
          outcome: view.verdict === 'pass' ? 'pass' : 'fail',
          ref: `compat:${runId}`,
          summary: matrixSummary(view),
          recordedBy: 'uf:compat',
          recordedAt: now.toISOString(),
        });
        return true;
      });
      if (recorded) root.logger.info({ upgradeId: run.upgradeId, runId, verdict: view.verdict }, 'compatibility matrix recorded on the upgrade');
      return view;
    } catch (error) {
      // Someone else changed the upgrade between our read and write: read it again.
      if (error instanceof UfError && error.code === 'conflict') continue;
      throw error;
    }
  }
  throw new UfError('conflict', `could not record the matrix of ${run.upgradeId} on the upgrade: it kept changing`, { record: run.upgradeId });
}

/** Settles every finished run whose verdict is not on its upgrade yet (a worker stopped in between). */
export async function settleFinishedRuns(root: CompatRoot): Promise<number> {
  let settled = 0;
  for (const run of await unsettledRuns(root.store.db)) {
    if (await settleRun(root, run.id)) settled += 1;
  }
  return settled;
}

export interface CompatWorkerOptions {
  signal: AbortSignal;
  concurrency?: number;
  exitWhenIdle?: boolean;
  idleMs?: number;
  /** A label for the lease holder (`uf worker`, `uf serve`). */
  label?: string;
  /** Replaces the configured runners (tests, benchmarks). */
  runners?: Readonly<Record<string, CheckRunner>>;
}

/** Runs a worker on this store until the signal stops it (or, with exitWhenIdle, the queue is empty). */
export async function runCompatWorker(root: CompatRoot, options: CompatWorkerOptions): Promise<WorkerStats> {
  const leaseMs = parseDuration(root.loaded.config.compat.leaseTtl) ?? 30_000;
  return runWorker({
    db: root.store.db,
    clock: root.clock,
    runners: options.runners ?? root.adapters.checkRunners,
    holder: leaseHolder(options.label ?? 'uf-worker'),
    leaseMs,
    signal: options.signal,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.exitWhenIdle !== undefined ? { exitWhenIdle: options.exitWhenIdle } : {}),
    ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
    onCompleted: async (job, _outcome, completion) => {
      publish(root, job.runId, job.request.upgradeId);
      if (completion.runFinished) await settleRun(root, job.runId);
    },
    onProblem: (message, error) => root.logger.warn({ err: error }, message),
  });
}

function publish(root: CompatRoot, runId: string, upgradeId: string): void {
  root.events.publish({ type: 'compat.updated', upgradeId, runId, at: root.clock.now().toISOString() });
}

async function requireUpgrade(root: Pick<AppRoot, 'store'>, id: string): Promise<Upgrade> {
  const upgrade = await getUpgrade(root.store.db, id);
  if (!upgrade) throw new UfError('not_found', `no upgrade ${id}`, { record: id });
  return upgrade;
}

function resolvePath(root: CompatRoot, file: string): string {
  return resolve(root.loaded.baseDir, file);
}
