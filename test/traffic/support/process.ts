import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunningServer {
  pid: number;
  /** What the server printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts a server in the foreground as a child of the test process and waits until `ready` says
 * so; a server that exits or stays unready for 10 s fails the start with its own output.
 */
export async function startServer(command: string, args: string[], ready: () => Promise<boolean>): Promise<RunningServer> {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));

  const stop = async (): Promise<void> => {
    if (done) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (done) throw new Error(`${command} exited during start:\n${output}`);
    if (await ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command} was not ready after 10 s:\n${output}`);
    }
    await sleep(50);
  }
  if (child.pid === undefined) throw new Error(`${command} has no pid`);
  return { pid: child.pid, output: () => output, stop };
}
