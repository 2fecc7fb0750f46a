/**
 * npm run bench:compat — the compatibility matrix's job queue and workers on PostgreSQL: an upgrade
 * with 200 services × 5 short command checks (`true`, `sh -c 'exit 0'`, `sleep 0.01`, `test -d .`,
 * `echo {{consumer}}`) = 1,000 cells, queued by startCompatRun and drained by 1, 2 and 4 real
 * `uf worker --once --concurrency 1` processes (built bin/uf.js, so `npm run build` first), each on
 * the bench's own fresh schema (selected with `?options=-c search_path=…` in UF_DATABASE_URL).
 *
 * Reference, in the same run: the same 1,000 argv spawned directly with child_process (output piped
 * and drained, no queue, no store) at concurrency 1, 2 and 4: the floor. "Queue overhead per cell"
 * is (queue wall − direct wall) / cells at the same concurrency.
 *
 * Figures: wall time (spawning the workers to the last one's exit) and cells/s; the same over the
 * processing window (first claim to last stored cell, start-up left out); scaling (cells/s with N
 * workers / with 1); CPU per cell of the worker processes (process.cpuUsage() each reports at
 * exit), with and without their start-up (measured on an empty queue), of the commands (the
 * workers' reaped children), and of the local PostgreSQL server (all its processes, via /proc,
 * other clients included; absent for a remote server).
 *
 * Flags: --cells N (1000, a multiple of 5), --workers 1,2,4. Needs UF_BENCH_DATABASE_URL or
 * UF_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchChecks, idleWorker, openBenchFactory, runDirect, runQueue, type DirectResult, type QueueResult } from './compat/matrix.js';

function parseArgs(argv: readonly string[]): { cells: number; workers: number[] } {
  const options = { cells: 1000, workers: [1, 2, 4] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const text = argv[++i] ?? '';
    if (flag === '--cells') {
      options.cells = Number(text);
      if (!Number.isInteger(options.cells) || options.cells < benchChecks.length || options.cells % benchChecks.length !== 0) {
        throw new Error(`--cells needs a whole multiple of ${benchChecks.length} (consumers × ${benchChecks.length} checks), not '${text}'`);
      }
    } else if (flag === '--workers') {
      options.workers = text.split(',').map(Number);
      if (options.workers.length === 0 || options.workers.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) throw new Error(`--workers needs a list of whole numbers from 1 to 64 such as 1,2,4, not '${text}'`);
    } else throw new Error(`unknown flag ${flag}; see the top of bench/compat.ts`);
  }
  return options;
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const ms = (millis: number): string => `${millis.toFixed(2)} ms`;
const perSecond = (cells: number, millis: number): string => (cells / (millis / 1000)).toFixed(1);
const ratio = (ours: number, reference: number): string => `${(ours / reference).toFixed(2)}x`;

function table(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  rows.forEach((row, i) => {
    console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

interface Pair {
  direct: DirectResult;
  queue: QueueResult;
}

function print(pairs: readonly Pair[], startup: { wallMs: number; cpuMicros: number }): void {
  const first = pairs[0]!.queue;
  const oneWall = first.workers === 1 ? first.cells / first.wallMs : undefined;
  const oneWindow = first.workers === 1 ? first.cells / first.windowMs : undefined;
  console.log('\nthroughput (queue: N `uf worker` processes, 1 check at a time each; direct: the same argv, N at a time)');
  table([
    ['N', 'direct wall', 'direct cells/s', 'queue wall', 'queue cells/s', 'window', 'cells/s in window', 'scaling (wall / window)', 'overhead per cell', 'queue / direct wall', 'cells per worker'],
    ...pairs.map(({ direct, queue }) => [
      String(queue.workers),
      s(direct.wallMs),
      perSecond(direct.cells, direct.wallMs),
      s(queue.wallMs),
      perSecond(queue.cells, queue.wallMs),
      s(queue.windowMs),
      perSecond(queue.cells, queue.windowMs),
      oneWall && oneWindow ? `${ratio(queue.cells / queue.wallMs, oneWall)} / ${ratio(queue.cells / queue.windowMs, oneWindow)}` : '(no 1-worker run)',
      ms((queue.wallMs - direct.wallMs) / queue.cells),
      ratio(queue.wallMs, direct.wallMs),
      queue.perWorker.join(' + '),
    ]),
  ]);
  console.log('\nCPU per cell (µs of user + system time)');
  table([
    ['N', 'workers (all)', 'workers minus start-up', 'commands (queue)', 'commands (direct)', 'spawner (direct)', 'PostgreSQL server', 'enqueue (startCompatRun)'],
    ...pairs.map(({ direct, queue }) => [
      String(queue.workers),
      (queue.workerCpuMicros / queue.cells).toFixed(0),
      ((queue.workerCpuMicros - queue.workers * startup.cpuMicros) / queue.cells).toFixed(0),
      (queue.commandCpuMicros / queue.cells).toFixed(0),
      (direct.commandCpuMicros / direct.cells).toFixed(0),
      (direct.spawnerCpuMicros / direct.cells).toFixed(0),
      queue.serverCpuMicros === undefined ? 'not visible' : (queue.serverCpuMicros / queue.cells).toFixed(0),
      ms(queue.enqueueMs),
    ]),
  ]);
  console.log(`\nstart-up of one \`uf worker --once\` on an empty queue: ${s(startup.wallMs)} wall, ${(startup.cpuMicros / 1000).toFixed(0)} ms CPU (counted in "queue wall" and "workers (all)")`);
  console.log('commands CPU is from /proc (clock ticks, 10 ms grain summed over all cells); the PostgreSQL figure counts every local postgres process, so other clients of the server add to it');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const url = process.env.UF_BENCH_DATABASE_URL ?? process.env.UF_TEST_DATABASE_URL;
  if (!url) {
    console.error('bench:compat needs PostgreSQL: set UF_BENCH_DATABASE_URL or UF_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
    process.exit(2);
  }
  if (!existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)))) {
    console.error('bench:compat starts the built CLI (bin/uf.js → dist/): run `npm run build` first');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'uf-bench-compat-'));
  const factory = await openBenchFactory(dir, { kind: 'postgres', url });
  try {
    console.log(`compat bench: ${options.cells / benchChecks.length} consumers × ${benchChecks.length} command checks = ${options.cells} cells; ${factory.where}`);
    console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews both sides; compare within one run)`);
    console.log(`checks: ${benchChecks.map((argv) => argv.join(' ')).join(' | ')}`);
    const startup = await idleWorker(factory);
    const pairs: Pair[] = [];
    for (const workers of options.workers) {
      // Direct first, then the queue, at each N: both see the same moment's machine.
      const direct = await runDirect(options.cells, workers);
      const queue = await runQueue(factory, { cells: options.cells, workers, label: `w${workers}` });
      console.log(`  N=${workers}: direct ${s(direct.wallMs)}, queue ${s(queue.wallMs)} (${queue.verdict})`);
      pairs.push({ direct, queue });
    }
    print(pairs, startup);
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await factory.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
