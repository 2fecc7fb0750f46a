/**
 * npm run bench:engine — 1,000 concurrent rollouts in one process (issue 9): the rollout reconciler
 * on a real SQLite file store (and PostgreSQL with --pg), with a simulated router, deployer and
 * analysis (bench/engine/simulated.ts) and a simulated clock. All rollouts start together; a server
 * loop sweeps them (reconcileOnce for every running rollout, --concurrency at a time), then moves
 * the clock on by --sweep-seconds, until every rollout is done or rolled back. A share of canaries
 * (--fail-share) fail their analysis at a random step, so rollbacks are exercised.
 *
 * Reference, in the same run: the same plan, sweeps and rounds through the pure reducer alone,
 * actions answered in memory, nothing stored. The ratio of CPU per decision is the store's share.
 *
 * Figures: CPU (process.cpuUsage, user + system) per decision, per reconcileOnce call and per
 * rollout; latency p50/p99 of one reconcileOnce call (as its caller in the loop saw it, so with
 * --concurrency calls interleaved) and of one decide() call; rollouts/s; cores used. The simulation
 * runs as fast as it can, so CPU over its own wall time is at most about one core by construction
 * (one thread, synchronous SQLite); the aim is judged at real pace instead: the CPU the sweeps took
 * over the simulated time they covered, and the busiest sweep's CPU over its interval.
 *
 * Flags: --rollouts N (1000), --concurrency N (8), --sweep-seconds N (30), --fail-share F (0.05),
 * --seed N (9), --baseline (a fresh baseline beside each canary), --pg (also on PostgreSQL, from
 * UF_BENCH_DATABASE_URL or UF_TEST_DATABASE_URL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { fixedClock } from '../src/core/clock.js';
import { openStore, type Store } from '../src/store/open.js';
import { verifyLog } from '../src/store/repos/operation-log.js';
import { quantile } from './canary/traffic.js';
import { driveReducerOnly, driveWithStore, planRollouts, prepareUpgrades, simulationStart, type ReducerRun, type SimulationOptions, type StoreRun } from './engine/simulation.js';

function parseArgs(argv: readonly string[]): SimulationOptions & { pg: boolean } {
  const options = { rollouts: 1000, concurrency: 8, sweepMs: 30_000, failShare: 0.05, seed: 9, baseline: false, pg: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): number => {
      const text = argv[++i];
      const n = Number(text);
      if (text === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number >= 0, not '${text ?? ''}'`);
      return n;
    };
    const whole = (): number => {
      const n = value();
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number >= 1, not '${n}'`);
      return n;
    };
    if (flag === '--rollouts') options.rollouts = whole();
    else if (flag === '--concurrency') options.concurrency = whole();
    else if (flag === '--sweep-seconds') options.sweepMs = whole() * 1000;
    else if (flag === '--seed') options.seed = whole();
    else if (flag === '--fail-share') {
      options.failShare = value();
      if (options.failShare > 1) throw new Error(`--fail-share is a share from 0 to 1, not ${options.failShare}`);
    } else if (flag === '--baseline') options.baseline = true;
    else if (flag === '--pg') options.pg = true;
    else throw new Error(`unknown flag ${flag}; see the top of bench/engine.ts`);
  }
  return options;
}

interface StoreResult {
  name: string;
  run: StoreRun;
  setupMs: number;
  logEntries: number;
  logOk: boolean;
}

async function runOnStore(name: string, store: Store, clock: ReturnType<typeof fixedClock>, options: SimulationOptions): Promise<StoreResult> {
  const plan = planRollouts(options);
  const t = performance.now();
  const upgrades = await prepareUpgrades(store, plan.rollouts, clock);
  const setupMs = performance.now() - t;
  const run = await driveWithStore(store, plan, upgrades, clock, options);
  const log = await verifyLog(store.db);
  return { name, run, setupMs, logEntries: log.entries, logOk: log.ok };
}

async function sqliteRun(options: SimulationOptions): Promise<StoreResult> {
  const dir = mkdtempSync(join(tmpdir(), 'uf-bench-engine-'));
  const clock = fixedClock(simulationStart);
  const store = await openStore({ sqlitePath: join(dir, 'factory.db'), clock });
  try {
    return await runOnStore('SQLite file (WAL)', store, clock, options);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRun(url: string, options: SimulationOptions): Promise<StoreResult> {
  const schema = `uf_bench_engine_${process.pid}`;
  const clock = fixedClock(simulationStart);
  const store = await openStore({ url, schema, clock });
  try {
    return await runOnStore('PostgreSQL', store, clock, options);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const µs = (micros: number): string => `${micros.toFixed(0)} µs`;
const ms = (millis: number): string => (millis < 1 ? `${millis.toFixed(3)} ms` : `${millis.toFixed(2)} ms`);
const s = (millis: number): string => `${(millis / 1000).toFixed(1)} s`;
const ratio = (ours: number, reference: number): string => `${(ours / reference).toFixed(1)}x`;

function outcomes(phases: ReadonlyMap<string, string>): string {
  const count = (phase: string) => [...phases.values()].filter((p) => p === phase).length;
  const other = phases.size - count('done') - count('rolled-back');
  return `${count('done')} done, ${count('rolled-back')} rolled back${other > 0 ? `, ${other} other` : ''}`;
}

function table(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  rows.forEach((row, i) => {
    console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

function print(result: StoreResult, reference: ReducerRun, options: SimulationOptions): void {
  const { run } = result;
  const sweepCpu = sum(run.sweeps.map((x) => x.cpuMicros));
  const sweepWall = sum(run.sweeps.map((x) => x.wallMs));
  const cpuMicros = run.begin.cpuMicros + sweepCpu;
  const wallMs = run.begin.wallMs + sweepWall;
  const calls = run.callMs.length;
  const n = options.rollouts;
  const scope = result.name === 'PostgreSQL' ? 'CPU of this process only: the PostgreSQL server\'s own CPU is not counted' : 'CPU of this process, SQLite included (it runs in-process)';
  console.log(`\n${result.name}: ${n} upgrades taken to compat first in ${s(result.setupMs)} (not measured); operation log ${result.logEntries} entries, chain ${result.logOk ? 'verifies' : 'BROKEN'}; ${scope}`);
  table([
    ['', 'ours: reconciler + store', 'reference: decide() alone', 'ours / reference'],
    ['outcome', outcomes(run.phases), outcomes(reference.phases), ''],
    ['decisions (decide calls)', String(run.decisions), String(reference.decisions), ''],
    ['time inside decide()', '', `${s(sum(reference.decideMs))} (wall, summed)`, ''],
    ['reconcileOnce calls', `${calls} in ${run.sweeps.length} sweeps`, '', ''],
    ['actions run', String(run.actionsRun), '', ''],
    ['CPU total', s(cpuMicros / 1000), s(reference.cpuMicros / 1000), ratio(cpuMicros, reference.cpuMicros)],
    ['CPU per decision', µs(cpuMicros / run.decisions), µs(reference.cpuMicros / reference.decisions), ratio(cpuMicros / run.decisions, reference.cpuMicros / reference.decisions)],
    ['CPU per reconcileOnce call', µs(sweepCpu / calls), '', ''],
    ['CPU per rollout (start to end)', ms(cpuMicros / n / 1000), ms(reference.cpuMicros / n / 1000), ratio(cpuMicros, reference.cpuMicros)],
    [
      'latency p50 / p99',
      `${ms(quantile(run.callMs, 0.5))} / ${ms(quantile(run.callMs, 0.99))} per reconcileOnce, ${options.concurrency} at a time`,
      `${ms(quantile(reference.decideMs, 0.5))} / ${ms(quantile(reference.decideMs, 0.99))} per decide()`,
      '',
    ],
    ['  of calls with nothing to do', `${ms(quantile(run.idleCallMs, 0.5))} / ${ms(quantile(run.idleCallMs, 0.99))} (${run.idleCallMs.length} calls)`, '', ''],
    ['  of calls that decided or ran', `${ms(quantile(run.busyCallMs, 0.5))} / ${ms(quantile(run.busyCallMs, 0.99))} (${run.busyCallMs.length} calls)`, '', ''],
    ['beginRollout (all)', `${s(run.begin.wallMs)} wall, ${µs(run.begin.cpuMicros / n)} CPU each`, '', ''],
    ['wall time', s(wallMs), s(reference.wallMs), ratio(wallMs, reference.wallMs)],
    ['rollouts/s (wall)', (n / (wallMs / 1000)).toFixed(1), (n / (reference.wallMs / 1000)).toFixed(1), ''],
    ['cores used, compressed time', (cpuMicros / 1000 / wallMs).toFixed(2), (reference.cpuMicros / 1000 / reference.wallMs).toFixed(2), ''],
  ]);
  const realPaceCores = sweepCpu / 1000 / run.simulatedMs;
  const busiest = run.sweeps.reduce((a, b) => (b.cpuMicros > a.cpuMicros ? b : a));
  const busiestCores = busiest.cpuMicros / 1000 / options.sweepMs;
  console.log(`real pace: the sweeps cover ${(run.simulatedMs / 60_000).toFixed(1)} simulated minutes (a sweep every ${options.sweepMs / 1000} s) and took ${s(sweepCpu / 1000)} CPU: ${realPaceCores.toFixed(3)} cores on average`);
  console.log(`           busiest sweep: ${s(busiest.cpuMicros / 1000)} CPU for ${busiest.calls} rollouts in a ${options.sweepMs / 1000} s interval: ${busiestCores.toFixed(3)} cores`);
  console.log(`           on one core this load allows a sweep as often as every ${s(busiest.cpuMicros / 1000)} (the busiest sweep's CPU)`);
  const met = realPaceCores < 1 && busiestCores < 1;
  const figures = `average ${realPaceCores.toFixed(3)}, busiest sweep ${busiestCores.toFixed(3)} cores at real pace`;
  if (result.name === 'PostgreSQL') {
    console.log(`aim "under one core" for ${n} concurrent rollouts: not judged, the server's CPU is not counted; this process alone ${met ? 'stays under' : 'does NOT stay under'} one core (${figures})`);
  } else {
    console.log(`aim "under one core" for ${n} concurrent rollouts: ${met ? 'MET' : 'NOT met'} (${figures})`);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const plan = planRollouts(options);
  console.log(
    `engine bench: ${options.rollouts} rollouts at once, standard policy (5, 25, 50, 100%; 5 min minimum per step; analysis every minute; automatic gates)` +
      `${options.baseline ? ' with a fresh baseline' : ''}; ${plan.failures.size} canaries (${(options.failShare * 100).toFixed(0)}% drawn, seed ${options.seed}) fail at a random step`,
  );
  console.log(`server loop: every ${options.sweepMs / 1000} simulated s, reconcileOnce for each running rollout, ${options.concurrency} at a time; simulated router, deployer and analysis (no I/O)`);
  const reference = driveReducerOnly(plan, options);
  const results = [await sqliteRun(options)];
  if (options.pg) {
    const url = process.env.UF_BENCH_DATABASE_URL ?? process.env.UF_TEST_DATABASE_URL;
    if (url) results.push(await postgresRun(url, options));
    else console.log('\nPostgreSQL: skipped (set UF_BENCH_DATABASE_URL or UF_TEST_DATABASE_URL)');
  }
  for (const result of results) print(result, reference, options);
}

await main();
