import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { TailBuffer } from './tail-buffer.js';

export interface ProcessOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Bytes of stdout and of stderr kept, each; the end is kept. */
  maxOutput: number;
  /** Bytes of stdout and stderr together past which the group is stopped as flooding. */
  floodLimit: number;
  signal: AbortSignal;
}

/** How a run ended, with its kept output. Never a thrown error: a program that cannot start is an ending too. */
export interface ProcessResult {
  /** `exited`: the program ran and ended by itself (code or signal); the others say why it did not. */
  ending: 'exited' | 'timed-out' | 'aborted' | 'flooded' | 'not-started';
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The spawn error's code (ENOENT, EACCES, …) when the program could not start. */
  startError?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** After SIGTERM to the group, how long before SIGKILL. */
export const killGraceMs = 2_000;
/** After the program exits, how long its output pipes may stay open (a background child may hold them). */
const closeGraceMs = 1_000;

/**
 * Runs `argv` without a shell, as the leader of its own process group, so a timeout or an abort
 * can end the program and everything it started: SIGTERM to the group, SIGKILL after `killGraceMs`.
 * Once the leader has exited, whatever is left of its group is killed too: a check leaves nothing
 * behind. stdout and stderr are kept in tail buffers, so a flood of output costs no memory.
 */
export function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const [program = '', ...args] = options.argv;
  const stdout = new TailBuffer(options.maxOutput);
  const stderr = new TailBuffer(options.maxOutput);
  return new Promise((resolve) => {
    let ending: ProcessResult['ending'] = 'exited';
    let startError: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn(program, args, { cwd: options.cwd, env: options.env, shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      // Node refuses some argv outright (a NUL byte in an element): the program never started.
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      resolve({ ending: 'not-started', exitCode: null, signal: null, startError: code, stdout: '', stderr: '', durationMs: 0 });
      return;
    }

    const signalGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const stop = (why: 'timed-out' | 'aborted' | 'flooded') => {
      if (ending !== 'exited' || child.pid === undefined) return;
      ending = why;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), killGraceMs);
    };
    const timer = setTimeout(() => stop('timed-out'), options.timeoutMs);
    const onAbort = () => stop('aborted');
    options.signal.addEventListener('abort', onAbort, { once: true });

    let total = 0;
    const take = (buffer: TailBuffer) => (chunk: Buffer) => {
      buffer.push(chunk);
      total += chunk.length;
      if (total > options.floodLimit) stop('flooded');
    };
    child.stdout.on('data', take(stdout));
    child.stderr.on('data', take(stderr));
    child.on('error', (error: NodeJS.ErrnoException) => {
      startError = error.code ?? error.message;
    });
    child.on('exit', () => {
      const grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, closeGraceMs);
      child.once('close', () => clearTimeout(grace));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
      signalGroup('SIGKILL');
      resolve({
        ending: startError !== undefined ? 'not-started' : ending,
        exitCode: startError !== undefined ? null : code,
        signal,
        ...(startError !== undefined ? { startError } : {}),
        stdout: stdout.text(),
        stderr: stderr.text(),
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}
