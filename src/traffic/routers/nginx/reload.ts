import { setTimeout as sleep } from 'node:timers/promises';
import { UfError } from '../../../core/errors.js';
import { acceptingWorkers, readMasterPid, signalReload } from './master.js';
import { fetchRunningState } from './status.js';
import type { NginxRouterOptions } from './types.js';

/** Where /proc cannot tell which workers still accept: nginx's own 100 ms hand-over, with margin. */
const handoverWithoutProc = 500;
const pollEvery = 25;

/** `deadline` is on the monotonic timer (`performance.now()`): a timeout is a duration, not a time of day. */
async function until(deadline: number, done: () => Promise<boolean>, failure: () => UfError): Promise<void> {
  for (;;) {
    if (await done()) return;
    if (performance.now() > deadline) throw failure();
    await sleep(pollEvery);
  }
}

/**
 * Reloads nginx and resolves once the new generation is in force: the status endpoint answers
 * with it (the master loaded the file) and every worker that ran an older configuration has
 * stopped accepting connections (requests it already has, it finishes under the old weights).
 */
export async function reloadAndWait(options: NginxRouterOptions, generation: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const master = await readMasterPid(options.nginx.pidFile);
  const oldWorkers = await acceptingWorkers(master);
  signalReload(master);

  let seen: number | undefined;
  await until(
    deadline,
    async () => {
      seen = (await fetchRunningState(options.statusListen, options.service).catch(() => undefined))?.generation;
      return seen === generation;
    },
    () =>
      new UfError('source_unavailable', `nginx did not load the new configuration within ${timeoutMs} ms (see its error log)`, {
        file: options.includeFile,
        record: `generation ${generation}, running ${seen ?? 'unknown'}`,
      }),
  );

  if (oldWorkers === undefined) {
    await sleep(handoverWithoutProc);
    return;
  }
  let remaining: number[] = [];
  await until(
    deadline,
    async () => {
      const accepting = await acceptingWorkers(master);
      remaining = [...oldWorkers].filter((pid) => accepting?.has(pid));
      return remaining.length === 0;
    },
    () =>
      new UfError('source_unavailable', `nginx workers on the previous configuration still accept connections after ${timeoutMs} ms`, {
        record: `pids ${remaining.join(', ')}`,
      }),
  );
}
