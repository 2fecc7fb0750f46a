import type { Clock } from '../core/clock.js';
import type { Db } from '../store/db.js';
import { claimJob, completeJob, releaseJob, renewJob, type ClaimedJob, type Completion } from './store/jobs.js';
import type { CheckOutcome, CheckRunner } from './types.js';

/**
 * A worker: takes the matrix's jobs from the store's queue and runs each with the runner of its
 * kind, under a lease renewed every third of its length. `uf worker` runs one per process (any
 * number, on any machine sharing the PostgreSQL store); `uf serve` runs one in-process.
 */
export interface WorkerOptions {
  db: Db;
  clock: Clock;
  runners: Readonly<Record<string, CheckRunner>>;
  holder: string;
  leaseMs: number;
  /** Jobs run at once by this worker. */
  concurrency?: number;
  /** Pause between two looks at an empty queue. */
  idleMs?: number;
  /** Stops taking jobs; running ones are aborted and given back to the queue. */
  signal: AbortSignal;
  /** Stop once the queue is empty (tests, benchmarks, `uf compat run --wait` in-process). */
  exitWhenIdle?: boolean;
  /** After each stored cell (the front end settles the run's verdict and publishes events). */
  onCompleted?: (job: ClaimedJob, outcome: CheckOutcome, completion: Completion) => Promise<void> | void;
  /** A problem the worker went past (a store error while claiming): logged by the front end. */
  onProblem?: (message: string, error: unknown) => void;
}

export interface WorkerStats {
  completed: number;
  /** Results dropped because the lease was lost before they were stored. */
  lost: number;
}

export async function runWorker(options: WorkerOptions): Promise<WorkerStats> {
  const stats: WorkerStats = { completed: 0, lost: 0 };
  const slots = Math.max(1, options.concurrency ?? 1);
  const lanes = Array.from({ length: slots }, () => lane(options, stats));
  await Promise.all(lanes);
  return stats;
}

async function lane(options: WorkerOptions, stats: WorkerStats): Promise<void> {
  const idleMs = options.idleMs ?? 500;
  const kinds = Object.keys(options.runners);
  while (!options.signal.aborted) {
    let job: ClaimedJob | undefined;
    try {
      job = await claimJob(options.db, options.holder, options.leaseMs, options.clock.now(), kinds);
    } catch (error) {
      options.onProblem?.('could not claim a job from the queue', error);
    }
    if (job === undefined) {
      if (options.exitWhenIdle) return;
      await pause(idleMs, options.signal);
      continue;
    }
    await runOne(options, job, stats);
  }
}

async function runOne(options: WorkerOptions, job: ClaimedJob, stats: WorkerStats): Promise<void> {
  const runner = options.runners[job.kind];
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('the worker is stopping'));
  options.signal.addEventListener('abort', stop, { once: true });
  let lost = false;
  const renewal = setInterval(() => {
    renewJob(options.db, job, options.leaseMs, options.clock.now())
      .then((held) => {
        if (!held && !lost) {
          lost = true;
          controller.abort(new Error('the job’s lease was lost'));
        }
      })
      .catch((error: unknown) => options.onProblem?.(`could not renew the lease of ${job.id}`, error));
  }, Math.max(100, Math.floor(options.leaseMs / 3)));
  const started = performance.now();
  try {
    const outcome = runner ? await runGuarded(runner, job, controller.signal) : { status: 'error' as const, summary: `no runner for check kind ${job.kind} in this worker` };
    clearInterval(renewal);
    if (options.signal.aborted && !lost) {
      await releaseJob(options.db, job);
      return;
    }
    if (lost) {
      stats.lost += 1;
      return;
    }
    const completion = await completeJob(options.db, job, outcome, performance.now() - started, options.clock.now());
    if (!completion.stored) {
      stats.lost += 1;
      return;
    }
    stats.completed += 1;
    await options.onCompleted?.(job, outcome, completion);
  } catch (error) {
    options.onProblem?.(`could not store the result of ${job.id}`, error);
  } finally {
    clearInterval(renewal);
    options.signal.removeEventListener('abort', stop);
  }
}

/** Runs the check within its job's timeout; a runner that throws or overruns gives an error cell. */
async function runGuarded(runner: CheckRunner, job: ClaimedJob, signal: AbortSignal): Promise<CheckOutcome> {
  const limit = new AbortController();
  const onAbort = () => limit.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<CheckOutcome>((resolve) => {
    // The runner enforces the timeout itself; this guard catches one that does not stop in time.
    timer = setTimeout(() => {
      limit.abort(new Error('timed out'));
      resolve({ status: 'error', summary: `the check did not finish within its timeout of ${Math.round(job.timeoutMs / 1000)} s` });
    }, job.timeoutMs + 5_000);
  });
  try {
    return await Promise.race([runner.run({ ...job.request, signal: limit.signal }), overrun]);
  } catch (error) {
    return { status: 'error', summary: `the ${job.kind} check crashed: ${error instanceof Error ? error.message : String(error)}`.replaceAll('\n', ' ') };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
