import { UfError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Db, Tx } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { MatrixPlan } from '../plan.js';
import type { CellFinding, CellStatus } from '../types.js';

/**
 * The matrix's tables: runs (one per `uf compat run`), their stored cells and waivers. The jobs
 * that fill the cells are in `jobs.ts`. A new run of an upgrade cancels the one before it: its
 * queued jobs are dropped, and its cells stay readable as history.
 */

export type RunStatus = 'running' | 'complete' | 'cancelled';

export interface StoredRun {
  id: string;
  upgradeId: string;
  status: RunStatus;
  plan: MatrixPlan;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  settledAt: string | null;
}

/** What a cell keeps beside its status: the evidence a reader (or an auditor) needs. */
export interface CellEvidence {
  findings: CellFinding[];
  stdout?: string;
  stderr?: string;
  details?: Record<string, unknown>;
}

export interface StoredCell {
  runId: string;
  consumerId: string;
  checkId: string;
  status: CellStatus;
  required: boolean;
  summary: string;
  ruleId: string | null;
  exitCode: number | null;
  durationMs: number;
  attempts: number;
  evidence: CellEvidence;
  worker: string;
  finishedAt: string;
}

export interface StoredWaiver {
  id: string;
  runId: string;
  consumerId: string;
  checkId: string;
  role: string;
  reason: string;
  actor: string;
  createdAt: string;
}

/** Stores a planned run and queues one job per cell; cancels the upgrade's earlier running runs. */
export async function insertRun(tx: Tx, plan: MatrixPlan, actor: string, now: Date, maxAttempts: number): Promise<StoredRun> {
  const at = now.toISOString();
  const earlier = await tx.selectFrom('compat_runs').select('id').where('upgrade_id', '=', plan.upgradeId).where('status', '=', 'running').execute();
  for (const { id } of earlier) {
    await tx.updateTable('compat_runs').set({ status: 'cancelled', finished_at: at }).where('id', '=', id).execute();
    await tx.updateTable('compat_jobs').set({ status: 'done', finished_at: at, last_error: 'cancelled: a newer run of the matrix replaced this one' }).where('run_id', '=', id).where('status', '=', 'queued').execute();
  }
  const row: Database['compat_runs'] = {
    id: newId('cmp'),
    upgrade_id: plan.upgradeId,
    status: plan.cells.length === 0 ? 'complete' : 'running',
    plan: JSON.stringify(plan),
    created_by: actor,
    created_at: at,
    finished_at: plan.cells.length === 0 ? at : null,
    settled_at: null,
  };
  await tx.insertInto('compat_runs').values(row).execute();
  const jobs: Database['compat_jobs'][] = plan.cells.map((cell) => ({
    id: `${row.id}/${cell.consumerId}/${cell.checkId}`,
    run_id: row.id,
    consumer_id: cell.consumerId,
    check_id: cell.checkId,
    kind: cell.kind,
    phase: cell.phase,
    request: JSON.stringify(cell.request),
    timeout_ms: cell.timeoutMs,
    status: 'queued',
    attempts: 0,
    max_attempts: maxAttempts,
    holder: null,
    lease_expires_at: null,
    last_error: null,
    created_at: at,
    started_at: null,
    finished_at: null,
  }));
  // Chunks keep each statement under SQLite's and PostgreSQL's bound-parameter limits.
  for (let start = 0; start < jobs.length; start += 200) await tx.insertInto('compat_jobs').values(jobs.slice(start, start + 200)).execute();
  return runFromRow(row);
}

export async function getRun(db: Db, id: string): Promise<StoredRun | undefined> {
  const row = await db.selectFrom('compat_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? runFromRow(row) : undefined;
}

/** The upgrade's newest run that was not cancelled. */
export async function latestRun(db: Db, upgradeId: string): Promise<StoredRun | undefined> {
  const row = await db
    .selectFrom('compat_runs')
    .selectAll()
    .where('upgrade_id', '=', upgradeId)
    .where('status', '<>', 'cancelled')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? runFromRow(row) : undefined;
}

/** Runs that finished but whose verdict is not yet on the upgrade (a worker stopped in between). */
export async function unsettledRuns(db: Db): Promise<StoredRun[]> {
  const rows = await db.selectFrom('compat_runs').selectAll().where('status', '=', 'complete').where('settled_at', 'is', null).orderBy('created_at').execute();
  return rows.map(runFromRow);
}

/** Marks the run's verdict as recorded; false when another process recorded it first. */
export async function markSettled(tx: Tx, runId: string, now: Date): Promise<boolean> {
  const result = await tx.updateTable('compat_runs').set({ settled_at: now.toISOString() }).where('id', '=', runId).where('settled_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Lets a settled run's verdict be recorded again (a waiver changed it). */
export async function markUnsettled(tx: Tx, runId: string): Promise<void> {
  await tx.updateTable('compat_runs').set({ settled_at: null }).where('id', '=', runId).execute();
}

export async function cellsOf(db: Db, runId: string): Promise<StoredCell[]> {
  const rows = await db.selectFrom('compat_cells').selectAll().where('run_id', '=', runId).execute();
  return rows.map(cellFromRow);
}

export async function waiversOf(db: Db, runId: string): Promise<StoredWaiver[]> {
  const rows = await db.selectFrom('compat_waivers').selectAll().where('run_id', '=', runId).orderBy('created_at').execute();
  return rows.map((row) => ({
    id: row.id,
    runId: row.run_id,
    consumerId: row.consumer_id,
    checkId: row.check_id,
    role: row.role,
    reason: row.reason,
    actor: row.actor,
    createdAt: row.created_at,
  }));
}

export async function insertWaiver(tx: Tx, waiver: Omit<StoredWaiver, 'id'>): Promise<StoredWaiver> {
  const existing = await tx
    .selectFrom('compat_waivers')
    .select(['id', 'actor'])
    .where('run_id', '=', waiver.runId)
    .where('consumer_id', '=', waiver.consumerId)
    .where('check_id', '=', waiver.checkId)
    .executeTakeFirst();
  if (existing) throw new UfError('conflict', `cell ${waiver.consumerId} × ${waiver.checkId} is already waived (${existing.id} by ${existing.actor})`, { record: existing.id });
  const stored: StoredWaiver = { id: newId('wvr'), ...waiver };
  await tx
    .insertInto('compat_waivers')
    .values({
      id: stored.id,
      run_id: stored.runId,
      consumer_id: stored.consumerId,
      check_id: stored.checkId,
      role: stored.role,
      reason: stored.reason,
      actor: stored.actor,
      created_at: stored.createdAt,
    })
    .execute();
  return stored;
}

function runFromRow(row: Database['compat_runs']): StoredRun {
  return {
    id: row.id,
    upgradeId: row.upgrade_id,
    status: row.status as RunStatus,
    plan: JSON.parse(row.plan) as MatrixPlan,
    createdBy: row.created_by,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    settledAt: row.settled_at,
  };
}

function cellFromRow(row: Database['compat_cells']): StoredCell {
  return {
    runId: row.run_id,
    consumerId: row.consumer_id,
    checkId: row.check_id,
    status: row.status as CellStatus,
    required: row.required === 1,
    summary: row.summary,
    ruleId: row.rule_id,
    exitCode: row.exit_code,
    durationMs: row.duration_ms,
    attempts: row.attempts,
    evidence: JSON.parse(row.evidence) as CellEvidence,
    worker: row.worker,
    finishedAt: row.finished_at,
  };
}
