import { spawn } from 'node:child_process';
import type { CommandEvidence } from '../types.js';

export interface RunOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Bytes of each stream kept; the end is kept, the start dropped. */
  maxOutputBytes: number;
  /** Called with every complete stdout line (also those dropped from the kept bytes). */
  onStdoutLine?: (line: string) => void;
}

/** A line longer than this is cut before `onStdoutLine` sees it (a digest line is short). */
const maxLineBytes = 16_384;
/** After SIGTERM to the group, how long before SIGKILL. */
const killGraceMs = 2_000;
/** After the command exits, how long its output pipes may stay open. */
const closeGraceMs = 1_000;

/**
 * Runs `argv` with `shell: false` in its own process group and resolves with the evidence once it
 * has exited and its output is read. Past `timeoutMs` the whole group gets SIGTERM, then SIGKILL,
 * so a script's children die with it. Never rejects: a program that cannot start is evidence too.
 */
export function runCommand(options: RunOptions): Promise<CommandEvidence> {
  const started = performance.now();
  const [program, ...args] = options.argv;
  const stdout = new TailBuffer(options.maxOutputBytes);
  const stderr = new TailBuffer(options.maxOutputBytes);
  const lines = new LineSplitter(options.onStdoutLine);
  return new Promise((resolve) => {
    let timedOut = false;
    let spawnError: string | undefined;
    const child = spawn(program ?? '', args, { cwd: options.cwd, env: options.env, shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), killGraceMs);
      killTimer.unref();
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      lines.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = `${error.code ?? 'error'}: cannot run ${JSON.stringify(program)} in ${options.cwd}: ${error.message}`;
    });
    // Output is read until the pipes close; a background child that inherited them and outlives the
    // command would hold them open, so after the exit they get a short grace, then are let go.
    child.on('exit', () => {
      const grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, closeGraceMs);
      grace.unref();
      child.once('close', () => clearTimeout(grace));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      // A timed-out leader may leave children holding nothing but the group: end them too.
      if (timedOut) killGroup('SIGKILL');
      lines.end();
      const evidence: CommandEvidence = {
        kind: 'command',
        argv: options.argv,
        cwd: options.cwd,
        exitCode: spawnError === undefined ? code : null,
        signal,
        timedOut,
        durationMs: Math.round(performance.now() - started),
        stdout: stdout.text(),
        stderr: stderr.text(),
        droppedBytes: { stdout: stdout.dropped, stderr: stderr.dropped },
      };
      if (spawnError !== undefined) evidence.spawnError = spawnError;
      resolve(evidence);
    });
  });
}

/** Keeps the last `limit` bytes written to it, counting what it dropped. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size <= this.limit * 2) return;
    this.compact();
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks);
    const keep = all.subarray(Math.max(0, all.length - this.limit));
    this.dropped += all.length - keep.length;
    this.chunks = [Buffer.from(keep)];
    this.size = keep.length;
  }

  text(): string {
    this.compact();
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Splits a byte stream into lines for `onLine`, each cut at `maxLineBytes`. */
class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly onLine: ((line: string) => void) | undefined) {}

  push(chunk: Buffer): void {
    if (!this.onLine) return;
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      this.add(chunk.subarray(start, newline));
      this.flush();
      start = newline + 1;
    }
    this.add(chunk.subarray(start));
  }

  end(): void {
    if (this.pendingBytes > 0) this.flush();
  }

  private add(part: Buffer): void {
    const room = maxLineBytes - this.pendingBytes;
    if (room <= 0 || part.length === 0) return;
    const kept = part.subarray(0, room);
    this.pending.push(Buffer.from(kept));
    this.pendingBytes += kept.length;
  }

  private flush(): void {
    const line = Buffer.concat(this.pending).toString('utf8').replace(/\r$/, '');
    this.pending = [];
    this.pendingBytes = 0;
    this.onLine?.(line);
  }
}
