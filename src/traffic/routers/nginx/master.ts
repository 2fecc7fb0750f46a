import { readdir, readFile } from 'node:fs/promises';
import { UfError } from '../../../core/errors.js';

/** The master's pid from its pid file; the process must be alive. */
export async function readMasterPid(pidFile: string): Promise<number> {
  const text = await readFile(pidFile, 'utf8').catch((error: unknown) => {
    throw new UfError('source_unavailable', 'nginx is not running: its pid file cannot be read', { file: pidFile }, { cause: error });
  });
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new UfError('source_unavailable', 'the nginx pid file holds no pid', { file: pidFile });
  try {
    process.kill(pid, 0);
  } catch (error) {
    throw new UfError('source_unavailable', 'nginx is not running: no process has the pid in its pid file', { file: pidFile, record: String(pid) }, { cause: error });
  }
  return pid;
}

/**
 * Asks the master to reload (what `nginx -s reload` does): it starts workers on the new
 * configuration, waits 100 ms, then tells the old ones to stop accepting and finish what they have.
 */
export function signalReload(masterPid: number): void {
  process.kill(masterPid, 'SIGHUP');
}

/**
 * Linux only (undefined elsewhere): the master's workers that still accept connections. A worker
 * told to stop renames itself "worker process is shutting down" as it closes its listening sockets.
 */
export async function acceptingWorkers(masterPid: number): Promise<Set<number> | undefined> {
  if (process.platform !== 'linux') return undefined;
  const accepting = new Set<number>();
  const entries = await readdir('/proc').catch(() => undefined);
  if (!entries) return undefined;
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid !== masterPid) return;
        const title = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ').trim();
        if (/worker process$/.test(title)) accepting.add(Number(entry));
      }),
  );
  return accepting;
}
