/**
 * npm run bench:proxy — the built-in router (`uf proxy --workers 1`) against the Node ceiling
 * (node:http + one undici pool, nothing else), nginx, HAProxy and node-http-proxy, and against a
 * direct hit on the upstream, with the same upstream and the same load tools on loopback. Every
 * server is one process with one thread of work (nginx: `master_process off`; HAProxy:
 * `nbthread 1`), so the comparison is one core's worth each. With 3 or more cores, the proxy under
 * test is pinned to core 0 and the upstream and the load generator to the last two cores (taskset);
 * with fewer they share the cores and the output says so.
 *
 *  1. Throughput and CPU: wrk, closed loop (UF_BENCH_CONNECTIONS keep-alive connections, one
 *     thread), UF_BENCH_ROUNDS rounds in rotating order, each round on freshly started proxies,
 *     each run after a warm-up; medians. CPU µs per
 *     request = the target process's utime+stime delta (/proc/PID/stat) over the requests served:
 *     the core-fair figure when the machine is shared.
 *  2. Added p99 at the same absolute rates for every proxy: open-loop runs (proxy-open-loop.ts)
 *     at 10 %, 30 % and 50 % of the built-in router's measured req/s, each proxy against one
 *     direct run at that rate; added p99 = p99 via the proxy − p99 direct. Capped at
 *     UF_BENCH_OPEN_MAX_RATE (the node generator needs a core near 40,000 req/s).
 *  3. Scaling: `uf proxy --workers N` against one process (proxy-scaling.ts); with fewer than 4
 *     cores the workers share the cores with the upstream and load generator, and the output says
 *     the factor is then a lower bound.
 *  4. The router's ratios of CPU/request and req/s to the Node ceiling, nginx and node-http-proxy,
 *     and one line per aim of the issue with its verdict.
 *
 * Knobs (seconds unless said): UF_BENCH_SECONDS (4) per throughput run, UF_BENCH_WARMUP_SECONDS (1),
 * UF_BENCH_ROUNDS (3), UF_BENCH_OPEN_SECONDS (3) per open-loop run, UF_BENCH_OPEN_ROUNDS (3),
 * UF_BENCH_OPEN_MAX_RATE (25000 req/s), UF_BENCH_SENDERS (1), UF_BENCH_CONNECTIONS (64).
 * The default run takes about six minutes. It measures dist/: run `npm run build` after changes.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBinary } from '../test/traffic/support/binaries.js';
import { openLoopReportSchema } from './proxy-open-loop-report.js';
import { addedLatencyTable, aimLines, summarize, throughputTable, type AddedLatency, type OpenLoopRun, type ThroughputSummary } from './proxy-report.js';
import { cpuSecondsOfTree, killAllNow, loadTypeScript, pinned, pinning, projectRoot, runTool, startBuiltIn, startHaproxy, startNginxProxy, startNodeCeiling, startNodeHttpProxy, startUpstream, stopAll, tempDir, type BenchServer } from './proxy-servers.js';
import { measureScaling, scalingPlan, scalingLines } from './proxy-scaling.js';
import { measuredRun, wrkRunner, type ThroughputRun } from './proxy-wrk.js';
import { routerNodeFlags } from '../src/proxy/heap.js';
import { setting } from './settings.js';

const run = promisify(execFile);


const seconds = setting('UF_BENCH_SECONDS', 4);
const warmupSeconds = setting('UF_BENCH_WARMUP_SECONDS', 1);
const rounds = setting('UF_BENCH_ROUNDS', 3);
const openSeconds = setting('UF_BENCH_OPEN_SECONDS', 3);
// Tails on shared cores vary from run to run by more than the proxies differ: medians of 3 runs.
const openRounds = setting('UF_BENCH_OPEN_ROUNDS', 3);
/** Shares of the built-in router's measured capacity at which every proxy's added p99 is measured. */
const sweep = [0.1, 0.3, 0.5];
const openMaxRate = setting('UF_BENCH_OPEN_MAX_RATE', 25_000);
const connections = setting('UF_BENCH_CONNECTIONS', 64);
const openLoopConnections = 64;
// More senders spread each millisecond's burst (see proxy-open-loop.ts), but on two cores the extra
// process competing for them hurt the proxies' tails more than the bursts did: one by default.
const openLoopSenders = setting('UF_BENCH_SENDERS', 1);
const openLoopScript = join(import.meta.dirname, 'proxy-open-loop.ts');

/** A warning when dist/ (what `bin/uf.js` runs) is older than the router's sources. */
function staleBuildWarning(): string | undefined {
  const built = statSync(join(projectRoot, 'dist/proxy/server.js'), { throwIfNoEntry: false });
  if (built === undefined) return 'dist/ is missing: run `npm run build` first';
  const sources = join(projectRoot, 'src/proxy');
  const newer = readdirSync(sources).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && statSync(join(sources, name)).mtimeMs > built.mtimeMs);
  return newer.length > 0 ? `src/proxy/{${newer.join(',')}} changed after the last build: this measures the old dist/ (run \`npm run build\`)` : undefined;
}

async function versionOf(command: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await run(command, args);
  return `${stdout}${stderr}`.split('\n')[0]?.trim() ?? '?';
}

/** One open-loop run against `target`, with the share of a core its process was busy for. */
async function openLoop(target: BenchServer, rate: number): Promise<OpenLoopRun> {
  const args = [...loadTypeScript, openLoopScript, target.url, String(Math.round(rate)), String(openSeconds), '1', String(openLoopConnections), String(openLoopSenders)];
  const cpuBefore = cpuSecondsOfTree(target.server.pid);
  const [command, pinnedArgs] = pinned('load', process.execPath, args);
  const stdout = await runTool(command, pinnedArgs, (openSeconds + 30) * 1000);
  const cpuAfter = cpuSecondsOfTree(target.server.pid);
  const report = openLoopReportSchema.parse(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
  // The server is idle before and after the schedule (1 s warm-up + the measured seconds).
  const cpuShare = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / (1 + openSeconds);
  return { ...report, cpuShare };
}

const rotate = <T>(items: T[], by: number): T[] => items.map((_, index) => items[(index + by) % items.length]!);

async function main(): Promise<void> {
  const wrk = findBinary('wrk');
  if (wrk === undefined) throw new Error('wrk is not installed (apt-get install wrk)');
  const [nginxVersion, haproxyVersion] = await Promise.all([versionOf(findBinary('nginx') ?? 'nginx', ['-v']), versionOf(findBinary('haproxy') ?? 'haproxy', ['-v'])]);
  const warning = staleBuildWarning();
  console.log('bench:proxy — built-in router vs nginx, HAProxy and node-http-proxy, on loopback');
  const cores = availableParallelism();
  console.log(`  ${cores} cores; node ${process.version}; ${nginxVersion}; ${haproxyVersion}`);
  if (cores >= 3) {
    Object.assign(pinning, { proxy: '0', upstream: String(cores - 2), load: String(cores - 1) });
    console.log(`  pinned with taskset: the proxy under test on core 0, the upstream on core ${cores - 2}, the load generator on core ${cores - 1}`);
  } else {
    console.log(`  NOT pinned: this machine has ${cores} core(s), fewer than the 3 that proxy, upstream and load generator need apart;`);
    console.log('  they share the cores, so req/s and latencies undercount every proxy alike and vary with whatever else runs (CPU µs/req is the fairer figure)');
  }
  console.log('  every server is one process, one thread of work: uf proxy (node bin/uf.js proxy --workers 1: one worker under an idle primary,');
  console.log(`  canary weight 50, stable = canary; CPU summed over both), the Node ceiling and node-http-proxy with the router's V8 flags (${routerNodeFlags.join(' ')}),`);
  console.log('  nginx (master_process off, keepalive upstream), HAProxy (nbthread 1, uf-rendered config, 50/50), node-http-proxy');
  console.log('  (keep-alive agent); one upstream for all: nginx `return 200 "ok"`, one process');
  console.log(`  throughput: wrk -t1 -c${connections} -d${seconds}s after a ${warmupSeconds} s warm-up, ${rounds} rounds in rotating order on fresh processes each round, medians`);
  console.log(`  added p99: open loop (${openLoopSenders} node sender process(es), ${openLoopConnections} connections), ${openRounds} pairs of ${openSeconds} s runs after 1 s,`);
  console.log(`  direct and via, at ${sweep.map((f) => `${f * 100}%`).join(', ')} of the built-in router's median req/s (the same absolute rates for every proxy), at most ${openMaxRate} req/s`);
  console.log('  Node ceiling: node:http + one undici pool, no routing or metering (bench/proxy-node-ceiling.ts)');
  if (warning) console.log(`  WARNING: ${warning}`);

  const upstream = await startUpstream();
  const upstreamUrl = new URL(upstream.url);
  // allSettled: when one fails to start, the others finish starting and are stopped with the rest.
  const starters = [startBuiltIn, startNodeCeiling, startNginxProxy, startHaproxy, startNodeHttpProxy];
  const started = await Promise.allSettled(starters.map((start) => start(upstreamUrl)));
  const proxies = started.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  const direct: BenchServer = { ...upstream, name: 'direct' };

  const throughputRuns = new Map<string, ThroughputRun[]>([direct, ...proxies].map((target) => [target.name, []]));
  const wrkRun = wrkRunner(wrk, tempDir('uf-bench-wrk-'), { threads: 1, connections });
  console.log('\nthroughput runs');
  for (let round = 0; round < rounds; round++) {
    // Each round runs fresh processes: two processes of the same program were measured 10% apart
    // in CPU per request, run after run, so the median is taken over processes, not one's runs.
    if (round > 0) {
      for (const [index, start] of starters.entries()) {
        await proxies[index]!.server.stop();
        proxies[index] = await start(upstreamUrl);
      }
    }
    for (const target of rotate([direct, ...proxies], round)) {
      const result = await measuredRun(wrkRun, target, seconds, warmupSeconds);
      throughputRuns.get(target.name)!.push(result);
      const cpu = result.cpuUsPerRequest === undefined ? '' : `  ${result.cpuUsPerRequest.toFixed(1)} µs CPU/req`;
      console.log(`  round ${round + 1} ${target.name.padEnd(10)} ${Math.round(result.rps).toString().padStart(7)} req/s  p99 ${result.p99Ms.toFixed(2)} ms${cpu}${result.errors ? `  ${result.errors} errors` : ''}`);
    }
  }
  const summaries = [direct, ...proxies].map((target) => summarize(target.name, throughputRuns.get(target.name)!));
  const byName = (name: string): ThroughputSummary => summaries.find((summary) => summary.name === name)!;

  console.log('\nadded latency runs');
  const capacity = byName('uf proxy').rps;
  const sweeps = sweep.map((share) => {
    const rate = Math.min(capacity * share, openMaxRate);
    return { share, rate, capped: capacity * share > openMaxRate, direct: [] as OpenLoopRun[], results: proxies.map((proxy): AddedLatency => ({ name: proxy.name, rate, capped: capacity * share > openMaxRate, direct: [], proxied: [] })) };
  });
  for (const point of sweeps) {
    for (let round = 0; round < openRounds; round++) {
      // One direct run per rate and round serves as every proxy's reference.
      const directRun = await openLoop(direct, point.rate);
      point.direct.push(directRun);
      for (const [index, proxy] of rotate(proxies, round).entries()) {
        const result = point.results.find((r) => r.name === proxy.name)!;
        const proxiedRun = await openLoop(proxy, point.rate);
        result.proxied.push(proxiedRun);
        const busy = proxiedRun.cpuShare === undefined ? '' : ` (proxy busy ${(proxiedRun.cpuShare * 100).toFixed(0)}% of a core)`;
        if (index === 0) console.log(`  ${point.share * 100}% (${Math.round(point.rate)} req/s), round ${round + 1}: p99 direct ${directRun.p99Ms.toFixed(2)} ms`);
        console.log(`    ${proxy.name.padEnd(12)} via ${proxiedRun.p99Ms.toFixed(2)} ms${busy}`);
      }
    }
    for (const result of point.results) result.direct.push(...point.direct);
  }
  const added = sweeps.find((point) => point.share === 0.3)?.results ?? [];

  console.log('\nscaling runs');
  const scaling = await measureScaling(upstreamUrl, scalingPlan(cores), wrkRunner(wrk, tempDir('uf-bench-wrk-'), { threads: 1, connections: connections * 2 }), { seconds, warmupSeconds, rounds, log: (line) => console.log(line) });

  const nginx = byName('nginx');
  const nodeHttpProxy = byName('http-proxy');
  const builtIn = byName('uf proxy');
  console.log(`\nthroughput (wrk -t1 -c${connections}, median of ${rounds} × ${seconds} s; p50/p99 are wrk's closed-loop latencies;`);
  console.log('CPU µs/req is the target process\'s own CPU per request, the upstream\'s for direct)');
  console.log(throughputTable(summaries, nginx, nodeHttpProxy));
  const fastestProxy = Math.max(...proxies.map((proxy) => byName(proxy.name).rps));
  if (byName('direct').rps < 1.5 * fastestProxy) console.log('  WARNING: direct throughput is less than 1.5x the fastest proxy: the upstream or wrk may be the bottleneck');
  for (const point of sweeps) {
    console.log(`\nadded p99 at ${point.share * 100}% of the built-in router's capacity, ${Math.round(point.rate)} req/s for every proxy (open loop, ${openRounds} × ${openSeconds} s, ms)`);
    console.log(addedLatencyTable(point.results));
  }
  if (sweeps.some((point) => point.capped)) console.log(`  * capped at UF_BENCH_OPEN_MAX_RATE=${openMaxRate}`);
  const ceiling = byName('Node ceiling');
  const cpuRatio = (a: ThroughputSummary, b: ThroughputSummary) => (a.cpuUsPerRequest !== undefined && b.cpuUsPerRequest !== undefined ? `${(a.cpuUsPerRequest / b.cpuUsPerRequest).toFixed(2)}x` : '-');
  console.log('\nthe built-in router (uf proxy --workers 1) against each reference: CPU µs per request (lower is better), req/s (higher is better)');
  for (const reference of [ceiling, nginx, nodeHttpProxy]) {
    console.log(`  vs ${reference.name.padEnd(12)} CPU/req ${cpuRatio(builtIn, reference).padStart(6)}   req/s ${(builtIn.rps / reference.rps).toFixed(2)}x`);
  }
  console.log(`\nscaling: uf proxy --workers ${scaling.plan.workers} against one process (wrk -t1 -c${connections * 2}, median of ${rounds} × ${seconds} s)`);
  for (const line of scalingLines(scaling)) console.log(`  ${line}`);
  console.log('\naims for the built-in router (uf proxy)');
  const at30 = added.find((result) => result.name === builtIn.name);
  const ceilingAt30 = added.find((result) => result.name === ceiling.name);
  for (const line of aimLines({ builtIn, ceiling, nginx, nodeHttpProxy, at30, ceilingAt30, scaling })) console.log(`  ${line}`);
  if (warning) console.log(`\nWARNING: ${warning}`);
}

process.on('exit', killAllNow);
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.exitCode = 130;
    console.log(`\nstopped by ${signal}: stopping the servers`);
    void stopAll();
  });
}
try {
  await main();
} catch (error) {
  // A load generator killed on the way out fails its run; that is the interruption, not an error.
  if (!interrupted) throw error;
} finally {
  await stopAll();
}
// Everything is stopped; startServer's 5 s kill fallback timer would keep the process up for nothing.
process.exit();
