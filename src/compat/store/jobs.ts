import { sql } from 'kysely';
import type { Db, Tx } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { CheckOutcome, CheckRequest } from '../types.js';
import type { CellEvidence } from './runs.js';

/**
 * The job queue of the matrix, in the store's own table, so it works the same on SQLite and
 * PostgreSQL. A worker claims a job with one conditional UPDATE (queued, or running with an
 * expired lease), holds it under a lease it renews, and stores the result with another conditional
 * UPDATE that only the current holder can make, in the transaction that inserts the cell. A worker
 * that stopped mid-job loses its lease and the job is claimed again elsewhere; if it comes back,
 * its late result is refused. So exactly one result is stored per cell.
 *
 * Phases: a run's phase-1 jobs are not claimed while any of its phase-0 jobs (fail-fast checks) is
 * unfinished, and a failed phase-0 cell stops the rest of its run.
 */

export interface ClaimedJob {
  id: string;
  runId: string;
  consumerId: string;
  checkId: string;
  kind: string;
  phase: number;
  request: Omit<CheckRequest, 'signal'>;
  timeoutMs: number;
  attempts: number;
  maxAttempts: number;
  holder: string;
}

/** The bytes of one cell's evidence stored at most (findings past it are cut and counted). */
export const maxEvidenceBytes = 256 * 1024;

/** How many candidates one claim looks at; workers racing for the same job try the next. */
const claimBatch = 8;

/**
 * Claims the next job this worker may run, or undefined when none is ready. A job whose lease
 * expired after its last allowed attempt is not handed out again: its cell is stored as an error
 * here, and the claim goes on to the next.
 */
export async function claimJob(db: Db, holder: string, leaseMs: number, now: Date, kinds?: readonly string[]): Promise<ClaimedJob | undefined> {
  const at = now.toISOString();
  for (;;) {
    const candidates = await db
      .selectFrom('compat_jobs as j')
      .selectAll('j')
      .where((eb) => eb.or([eb('j.status', '=', 'queued'), eb.and([eb('j.status', '=', 'running'), eb('j.lease_expires_at', '<=', at)])]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('compat_jobs as earlier')
              .select(sql<number>`1`.as('one'))
              .whereRef('earlier.run_id', '=', 'j.run_id')
              .whereRef('earlier.phase', '<', 'j.phase')
              .where('earlier.status', '<>', 'done'),
          ),
        ),
      )
      .$if(kinds !== undefined, (qb) => qb.where('j.kind', 'in', kinds!.length > 0 ? [...kinds!] : ['']))
      .orderBy('j.phase')
      .orderBy('j.created_at')
      .orderBy('j.id')
      .limit(claimBatch)
      .execute();
    if (candidates.length === 0) return undefined;
    let exhausted = false;
    for (const row of candidates) {
      if (row.attempts >= row.max_attempts) {
        await db.transaction().execute((tx) => giveUp(tx, row, now));
        exhausted = true;
        continue;
      }
      const taken = await db
        .updateTable('compat_jobs')
        .set({
          status: 'running',
          holder,
          lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
          attempts: row.attempts + 1,
          started_at: at,
        })
        .where('id', '=', row.id)
        .where('attempts', '=', row.attempts)
        .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<=', at)])]))
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) return toClaimed(row, holder, row.attempts + 1);
    }
    // Everything we looked at went to other workers; look again unless nothing changed hands.
    if (!exhausted && candidates.length < claimBatch) return undefined;
  }
}

/** Extends the lease; false when it was lost (expired and claimed by another worker, or the run was cancelled). */
export async function renewJob(db: Db, job: ClaimedJob, leaseMs: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('compat_jobs')
    .set({ lease_expires_at: new Date(now.getTime() + leaseMs).toISOString() })
    .where('id', '=', job.id)
    .where('holder', '=', job.holder)
    .where('attempts', '=', job.attempts)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface Completion {
  /** False when the lease was lost: another worker owns the cell now and this result was dropped. */
  stored: boolean;
  /** The run has no unfinished job left. */
  runFinished: boolean;
  /** Cells of the run marked skipped because this fail-fast cell failed. */
  skipped: number;
}

/** Stores the outcome as the cell, if this worker still holds the job; stops the run's other phases on a fail-fast failure. */
export async function completeJob(db: Db, job: ClaimedJob, outcome: CheckOutcome, durationMs: number, now: Date): Promise<Completion> {
  return db.transaction().execute(async (tx) => {
    const at = now.toISOString();
    const done = await tx
      .updateTable('compat_jobs')
      .set({ status: 'done', finished_at: at, lease_expires_at: null })
      .where('id', '=', job.id)
      .where('holder', '=', job.holder)
      .where('attempts', '=', job.attempts)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return { stored: false, runFinished: false, skipped: 0 };
    await insertCell(tx, job, outcome, durationMs, job.holder, at, job.attempts);
    let skipped = 0;
    if (job.phase === 0 && outcome.status !== 'pass' && outcome.status !== 'skipped') {
      skipped = await skipLaterPhases(tx, job, outcome, at);
    }
    return { stored: true, runFinished: await finishRunIfDone(tx, job.runId, at), skipped };
  });
}

/** Gives a job back (the worker is stopping): it is queued again without counting the attempt. */
export async function releaseJob(db: Db, job: ClaimedJob): Promise<void> {
  await db
    .updateTable('compat_jobs')
    .set({ status: 'queued', holder: null, lease_expires_at: null, attempts: Math.max(0, job.attempts - 1) })
    .where('id', '=', job.id)
    .where('holder', '=', job.holder)
    .where('attempts', '=', job.attempts)
    .where('status', '=', 'running')
    .execute();
}

/** How many jobs are queued or running, per status: what a worker pool's operator watches. */
export async function queueDepth(db: Db): Promise<{ queued: number; running: number }> {
  const rows = await db.selectFrom('compat_jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('status', 'in', ['queued', 'running']).groupBy('status').execute();
  const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
  return { queued: count('queued'), running: count('running') };
}

/** Each job of a run with its status, for the matrix's live view. */
export async function jobsOf(db: Db, runId: string): Promise<{ consumerId: string; checkId: string; status: string; attempts: number; holder: string | null }[]> {
  const rows = await db.selectFrom('compat_jobs').select(['consumer_id', 'check_id', 'status', 'attempts', 'holder']).where('run_id', '=', runId).execute();
  return rows.map((row) => ({ consumerId: row.consumer_id, checkId: row.check_id, status: row.status, attempts: row.attempts, holder: row.holder }));
}

async function giveUp(tx: Tx, row: Database['compat_jobs'], now: Date): Promise<void> {
  const at = now.toISOString();
  const result = await tx
    .updateTable('compat_jobs')
    .set({ status: 'done', finished_at: at, lease_expires_at: null, last_error: 'no attempt finished' })
    .where('id', '=', row.id)
    .where('attempts', '=', row.attempts)
    .where('status', '<>', 'done')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return;
  const job = toClaimed(row, row.holder ?? 'queue', row.attempts);
  const outcome: CheckOutcome = {
    status: 'error',
    summary: `no attempt finished: ${row.attempts} worker(s) took this check and lost their lease (stopped or killed mid-check)`,
  };
  await insertCell(tx, job, outcome, 0, 'queue', at, row.attempts);
  if (job.phase === 0) await skipLaterPhases(tx, job, outcome, at);
  await finishRunIfDone(tx, row.run_id, at);
}

async function insertCell(tx: Tx, job: ClaimedJob, outcome: CheckOutcome, durationMs: number, worker: string, at: string, attempts: number): Promise<void> {
  await tx
    .insertInto('compat_cells')
    .values({
      run_id: job.runId,
      consumer_id: job.consumerId,
      check_id: job.checkId,
      status: outcome.status,
      required: requiredOf(job) ? 1 : 0,
      summary: outcome.summary,
      rule_id: outcome.ruleId ?? null,
      exit_code: outcome.exitCode ?? null,
      duration_ms: Math.round(durationMs),
      attempts,
      evidence: JSON.stringify(boundedEvidence(outcome)),
      worker,
      finished_at: at,
    })
    .onConflict((oc) => oc.columns(['run_id', 'consumer_id', 'check_id']).doNothing())
    .execute();
}

async function skipLaterPhases(tx: Tx, job: ClaimedJob, outcome: CheckOutcome, at: string): Promise<number> {
  const rest = await tx.selectFrom('compat_jobs').selectAll().where('run_id', '=', job.runId).where('phase', '>', job.phase).where('status', '=', 'queued').execute();
  const summary = `not run: fail-fast check ${job.checkId} ${outcome.status === 'fail' ? 'failed' : 'could not run'} on ${job.consumerId}`;
  for (const row of rest) {
    const taken = await tx.updateTable('compat_jobs').set({ status: 'done', finished_at: at, last_error: summary }).where('id', '=', row.id).where('status', '=', 'queued').executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) continue;
    await insertCell(tx, toClaimed(row, 'queue', 0), { status: 'skipped', summary }, 0, 'queue', at, 0);
  }
  return rest.length;
}

async function finishRunIfDone(tx: Tx, runId: string, at: string): Promise<boolean> {
  // The run's row is locked first (an update that changes nothing): two workers storing the run's
  // last two cells at once would otherwise each see the other's job still open (PostgreSQL, read
  // committed) and neither would complete the run. The second now waits here for the first to
  // commit, and its count below sees the first's job done. SQLite runs one writer at a time.
  await tx.updateTable('compat_runs').set((eb) => ({ status: eb.ref('status') })).where('id', '=', runId).execute();
  const open = await tx.selectFrom('compat_jobs').select('id').where('run_id', '=', runId).where('status', '<>', 'done').limit(1).executeTakeFirst();
  if (open) return false;
  const result = await tx.updateTable('compat_runs').set({ status: 'complete', finished_at: at }).where('id', '=', runId).where('status', '=', 'running').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function requiredOf(job: ClaimedJob): boolean {
  return (job.request as { required?: boolean }).required ?? (job.request.spec as { required?: boolean } | undefined)?.required ?? true;
}

/** The outcome's evidence, cut to `maxEvidenceBytes` (findings dropped from the end, and counted). */
function boundedEvidence(outcome: CheckOutcome): CellEvidence {
  const evidence: CellEvidence = { findings: outcome.findings ?? [] };
  if (outcome.stdout !== undefined) evidence.stdout = outcome.stdout;
  if (outcome.stderr !== undefined) evidence.stderr = outcome.stderr;
  if (outcome.details !== undefined) evidence.details = outcome.details;
  let size = Buffer.byteLength(JSON.stringify(evidence));
  if (size <= maxEvidenceBytes) return evidence;
  const total = evidence.findings.length;
  while (evidence.findings.length > 0 && size > maxEvidenceBytes) {
    evidence.findings = evidence.findings.slice(0, Math.floor(evidence.findings.length / 2));
    size = Buffer.byteLength(JSON.stringify(evidence));
  }
  evidence.details = { ...(size > maxEvidenceBytes ? {} : evidence.details), findingsCut: total - evidence.findings.length };
  if (Buffer.byteLength(JSON.stringify(evidence)) > maxEvidenceBytes) {
    evidence.stdout = evidence.stdout?.slice(-16_384);
    evidence.stderr = evidence.stderr?.slice(-16_384);
  }
  return evidence;
}

function toClaimed(row: Database['compat_jobs'], holder: string, attempts: number): ClaimedJob {
  return {
    id: row.id,
    runId: row.run_id,
    consumerId: row.consumer_id,
    checkId: row.check_id,
    kind: row.kind,
    phase: row.phase,
    request: JSON.parse(row.request) as Omit<CheckRequest, 'signal'>,
    timeoutMs: row.timeout_ms,
    attempts,
    maxAttempts: row.max_attempts,
    holder,
  };
}
