import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { compatMatrix, startCompatRun } from '../../src/app/compat.js';
import { composeRoot, type AppRoot } from '../../src/app/root.js';
import { systemClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { openStore, type Store } from '../../src/store/open.js';
import { upgradeInCompat } from '../../test/helpers/upgrades.js';

/**
 * The compat bench's core (bench/compat.ts prints it; test/bench-compat.test.ts keeps it from
 * rotting): a matrix of consumers × 5 short command checks queued in the store, drained by real
 * `uf worker --once` processes; and the same commands spawned directly, the floor the queue is
 * compared against.
 */

/** The five columns: short, real commands (argv, no shell, as the command runner runs them). */
export const benchChecks: readonly (readonly string[])[] = [['true'], ['sh', '-c', 'exit 0'], ['sleep', '0.01'], ['test', '-d', '.'], ['echo', '{{consumer}}']];

const ufBin = fileURLToPath(new URL('../../bin/uf.js', import.meta.url));
const cpuPreload = fileURLToPath(new URL('./report-cpu.mjs', import.meta.url));
const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export type BenchStoreTarget = { kind: 'postgres'; url: string } | { kind: 'sqlite' };

export interface BenchFactory {
  dir: string;
  configPath: string;
  root: AppRoot;
  /** The environment each worker process gets (its store and nothing else of ours). */
  workerEnv: NodeJS.ProcessEnv;
  /** Where the data is, for the printout. */
  where: string;
  close(): Promise<void>;
}

function configText(): string {
  const checks = benchChecks.map((argv, i) => `    - id: cmd-${i + 1}\n      kind: command\n      timeout: 30s\n      argv: [${argv.map((a) => JSON.stringify(a)).join(', ')}]`);
  // The SQLite path is used only when UF_DATABASE_URL is unset (the SQLite target).
  return `version: 1\nstore:\n  path: factory.db\ncompat:\n  checks:\n${checks.join('\n')}\n`;
}

/**
 * A factory in `dir` (factory.yaml with the five checks) on a fresh store: a PostgreSQL schema of
 * its own (workers select it with `?options=-c search_path=…` in UF_DATABASE_URL: `uf` has no
 * schema option), or a SQLite file beside the config. `close` drops the schema.
 */
export async function openBenchFactory(dir: string, target: BenchStoreTarget): Promise<BenchFactory> {
  const configPath = join(dir, 'factory.yaml');
  writeFileSync(configPath, configText());
  const loaded = loadConfig(configPath);
  const workerEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, UF_LOG_LEVEL: 'warn', UF_ACTOR: 'user:bench' };
  let store: Store;
  let dropSchema = async (): Promise<void> => {};
  let where: string;
  if (target.kind === 'postgres') {
    const schema = `uf_bench_compat_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    store = await openStore({ url: target.url, schema, clock: systemClock });
    const url = new URL(target.url);
    url.searchParams.set('options', `-c search_path=${schema}`);
    workerEnv.UF_DATABASE_URL = url.toString();
    where = `PostgreSQL ${store.location}, schema ${schema}`;
    dropSchema = async () => {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    };
  } else {
    store = await openStore({ sqlitePath: join(dir, 'factory.db'), clock: systemClock });
    where = `SQLite ${store.location}`;
  }
  const parts = composeRoot(loaded, { clock: systemClock, logger: pino({ level: 'silent' }) });
  const root: AppRoot = { ...parts, store, close: () => parts.adapters.close() };
  return {
    dir,
    configPath,
    root,
    workerEnv,
    where,
    close: async () => {
      await parts.adapters.close();
      await store.close();
      await dropSchema();
    },
  };
}

/** An upgrade with `consumers` services, moved into compat (risk scored, notes acknowledged, a drill), as intake and triage would. */
function upgradeWithConsumers(root: AppRoot, name: string, consumers: number): Promise<string> {
  const services = Array.from({ length: consumers }, (_, i) => `svc-${String(i).padStart(4, '0')}`);
  return upgradeInCompat(root.store, { clock: systemClock, name, services, actor: 'user:bench', refPrefix: 'bench' });
}

/** CPU in µs. */
export interface QueueResult {
  workers: number;
  cells: number;
  /** Planning and queueing the run (startCompatRun). */
  enqueueMs: number;
  /** From starting the worker processes to the last one's exit. */
  wallMs: number;
  /** From the first job's claim to the last cell stored (process start-up left out). */
  windowMs: number;
  /** Cells each worker stored, most first. */
  perWorker: number[];
  /** The worker processes' own CPU (node, the queue's queries, the runner), summed. */
  workerCpuMicros: number;
  /** The commands' CPU (the workers' reaped children). */
  commandCpuMicros: number;
  /** All local PostgreSQL server processes over the run (other clients included), when /proc shows them. */
  serverCpuMicros: number | undefined;
  verdict: string;
}

/** Queues a matrix of `cells` (a multiple of 5) and drains it with `workers` `uf worker --once --concurrency 1` processes. */
export async function runQueue(factory: BenchFactory, options: { cells: number; workers: number; label: string }): Promise<QueueResult> {
  const consumers = cellsToConsumers(options.cells);
  const { root } = factory;
  const upgradeId = await upgradeWithConsumers(root, `bench-${options.label}`, consumers);
  let t = performance.now();
  const { run } = await startCompatRun(root, upgradeId, 'user:bench');
  const enqueueMs = performance.now() - t;
  if (run.plan.cells.length !== options.cells) throw new Error(`planned ${run.plan.cells.length} cells, expected ${options.cells}`);

  const serverBefore = postgresServerTicks();
  t = performance.now();
  const exits = Array.from({ length: options.workers }, (_, i) => startWorker(factory, join(factory.dir, `cpu-${options.label}-${i}.json`)));
  const reports = await Promise.all(exits);
  const wallMs = performance.now() - t;
  // The workers' backends end just after their clients: give the postmaster a moment to reap them.
  if (serverBefore !== undefined) await new Promise((resolve) => setTimeout(resolve, 300));
  const serverAfter = postgresServerTicks();

  const view = await compatMatrix(root, upgradeId, run.id);
  if (view.runStatus !== 'complete' || view.counts.pass !== options.cells) {
    throw new Error(`the matrix did not finish with every cell passing: ${view.runStatus}, ${JSON.stringify(view.counts)}`);
  }
  const cells = Object.values(view.cells).flatMap((row) => Object.values(row));
  const started = (await root.store.db.selectFrom('compat_jobs').select('started_at').where('run_id', '=', run.id).execute()).map((r) => Date.parse(r.started_at!));
  const finished = cells.map((c) => (c.state === 'result' ? Date.parse(c.cell.finishedAt) : NaN));
  const byWorker = new Map<string, number>();
  for (const c of cells) if (c.state === 'result') byWorker.set(c.cell.worker, (byWorker.get(c.cell.worker) ?? 0) + 1);
  return {
    workers: options.workers,
    cells: options.cells,
    enqueueMs,
    wallMs,
    windowMs: Math.max(...finished) - Math.min(...started),
    perWorker: [...byWorker.values()].sort((a, b) => b - a),
    workerCpuMicros: reports.reduce((sum, r) => sum + r.ownMicros, 0),
    commandCpuMicros: reports.reduce((sum, r) => sum + ticksToMicros(r.childTicks), 0),
    serverCpuMicros: serverBefore !== undefined && serverAfter !== undefined ? ticksToMicros(serverAfter - serverBefore) : undefined,
    verdict: view.verdict,
  };
}

function cellsToConsumers(cells: number): number {
  if (!Number.isInteger(cells) || cells < benchChecks.length || cells % benchChecks.length !== 0) {
    throw new Error(`--cells must be a multiple of ${benchChecks.length} (consumers × ${benchChecks.length} checks), not ${cells}`);
  }
  return cells / benchChecks.length;
}

/** One `uf worker --once` on an empty queue: what a worker process costs before it runs anything. */
export async function idleWorker(factory: BenchFactory): Promise<{ wallMs: number; cpuMicros: number }> {
  const t = performance.now();
  const report = await startWorker(factory, join(factory.dir, 'cpu-idle.json'));
  return { wallMs: performance.now() - t, cpuMicros: report.ownMicros };
}

function startWorker(factory: BenchFactory, cpuFile: string): Promise<{ ownMicros: number; childTicks: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', cpuPreload, ufBin, '--config', factory.configPath, 'worker', '--once', '--concurrency', '1'], {
      cwd: factory.dir,
      env: { ...factory.workerEnv, UF_BENCH_CPU_FILE: cpuFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`uf worker exited ${code}: ${stderr.trim().slice(-2000)}`));
      try {
        resolve(JSON.parse(readFileSync(cpuFile, 'utf8')) as { ownMicros: number; childTicks: number });
      } catch (error) {
        reject(new Error(`uf worker left no CPU report (${(error as Error).message}); stderr: ${stderr.trim().slice(-2000)}`));
      }
    });
  });
}

export interface DirectResult {
  concurrency: number;
  cells: number;
  wallMs: number;
  /** This process's CPU spawning and reaping (µs). */
  spawnerCpuMicros: number;
  /** The commands' CPU (µs). */
  commandCpuMicros: number;
}

/** The reference: the same argv spawned directly (output piped and drained, as the runner does), `concurrency` at a time. */
export async function runDirect(cells: number, concurrency: number): Promise<DirectResult> {
  const consumers = cellsToConsumers(cells);
  const commands: string[][] = [];
  for (let c = 0; c < consumers; c++) for (const argv of benchChecks) commands.push(argv.map((a) => a.replace('{{consumer}}', `svc-${String(c).padStart(4, '0')}`)));
  const cpu = process.cpuUsage();
  const children = childTicks();
  const t = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < commands.length) {
      const argv = commands[next++]!;
      const code = await spawnDrained(argv);
      if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = performance.now() - t;
  const spent = process.cpuUsage(cpu);
  return { concurrency, cells, wallMs, spawnerCpuMicros: spent.user + spent.system, commandCpuMicros: ticksToMicros(childTicks() - children) };
}

function spawnDrained(argv: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

const ticksToMicros = (ticks: number): number => (ticks * 1_000_000) / clockTicks;

function statFields(pid: string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(') ') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** This process's reaped children's CPU (cutime + cstime), in clock ticks. */
function childTicks(): number {
  const fields = statFields('self');
  return fields ? Number(fields[13]) + Number(fields[14]) : 0;
}

/**
 * utime + stime + cutime + cstime of every process named postgres: the postmaster reaps the
 * backends of clients that disconnect, so their CPU stays in its cutime. Undefined when no such
 * process is visible (a remote server).
 */
function postgresServerTicks(): number | undefined {
  let total = 0;
  let seen = false;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm !== 'postgres') continue;
    const fields = statFields(pid);
    if (!fields) continue;
    seen = true;
    total += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return seen ? total : undefined;
}
