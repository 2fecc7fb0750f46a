/**
 * npm run bench:proxy — the built-in router (`uf proxy`) against nginx, HAProxy and
 * node-http-proxy, and against a direct hit on the upstream, with the same upstream and the same
 * load tools on loopback. Every server is one process with one thread of work (nginx: one process,
 * `master_process off`; HAProxy: `nbthread 1`; both node proxies: one process), so the
 * comparison is one core's worth each.
 *
 *  1. Throughput: wrk, closed loop (UF_BENCH_CONNECTIONS keep-alive connections, one thread),
 *     UF_BENCH_ROUNDS rounds in rotating order, each run after a warm-up; medians are reported.
 *  2. Added p99 at half capacity: for each proxy, open-loop runs at half of its median
 *     throughput through the proxy, each paired with the same run straight at the upstream
 *     (proxy-open-loop.ts), UF_BENCH_OPEN_ROUNDS pairs interleaved across the proxies;
 *     added p99 = median p99 via the proxy − median p99 direct. The generator is node and needs
 *     about a core at 40,000 req/s: on a small machine it would starve the very proxies it
 *     measures, so the rate is capped at UF_BENCH_OPEN_MAX_RATE, and the table says so.
 *
 * Knobs (seconds unless said): UF_BENCH_SECONDS (6) per throughput run, UF_BENCH_WARMUP_SECONDS (2),
 * UF_BENCH_ROUNDS (3), UF_BENCH_OPEN_SECONDS (4) per open-loop run, UF_BENCH_OPEN_ROUNDS (3),
 * UF_BENCH_OPEN_MAX_RATE (25000 req/s), UF_BENCH_SENDERS (1), UF_BENCH_CONNECTIONS (64).
 * The default run takes a little over four minutes. It measures dist/: run `npm run build` after changes.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBinary } from '../test/traffic/support/binaries.js';
import { openLoopReportSchema } from './proxy-open-loop-report.js';
import { addedLatencyTable, aimLines, summarize, throughputTable, type AddedLatency, type OpenLoopRun, type ThroughputSummary } from './proxy-report.js';
import { cpuSecondsOf, killAllNow, loadTypeScript, projectRoot, runTool, startBuiltIn, startHaproxy, startNginxProxy, startNodeHttpProxy, startUpstream, stopAll, tempDir, type BenchServer } from './proxy-servers.js';
import { wrkRunner, type ThroughputRun } from './proxy-wrk.js';
import { setting } from './settings.js';

const run = promisify(execFile);


const seconds = setting('UF_BENCH_SECONDS', 6);
const warmupSeconds = setting('UF_BENCH_WARMUP_SECONDS', 2);
const rounds = setting('UF_BENCH_ROUNDS', 3);
const openSeconds = setting('UF_BENCH_OPEN_SECONDS', 4);
const openRounds = setting('UF_BENCH_OPEN_ROUNDS', 3);
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
  const cpuBefore = cpuSecondsOf(target.server.pid);
  const stdout = await runTool(process.execPath, args, (openSeconds + 30) * 1000);
  const cpuAfter = cpuSecondsOf(target.server.pid);
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
  console.log(`  ${availableParallelism()} cores; node ${process.version}; ${nginxVersion}; ${haproxyVersion}`);
  console.log('  every server is one process, one thread of work: uf proxy (node bin/uf.js proxy, canary weight 50, stable = canary),');
  console.log('  nginx (master_process off, keepalive upstream), HAProxy (nbthread 1, uf-rendered config, 50/50), node-http-proxy');
  console.log('  (keep-alive agent); one upstream for all: nginx `return 200 "ok"`, one process');
  console.log(`  throughput: wrk -t1 -c${connections} -d${seconds}s after a ${warmupSeconds} s warm-up, ${rounds} rounds in rotating order, medians`);
  console.log(`  added p99: open loop (${openLoopSenders} node sender process(es), ${openLoopConnections} connections), ${openRounds} pairs of ${openSeconds} s runs after 1 s,`);
  console.log(`  direct and via, at half of each proxy's median req/s, at most ${openMaxRate} req/s`);
  if (warning) console.log(`  WARNING: ${warning}`);

  const upstream = await startUpstream();
  const upstreamUrl = new URL(upstream.url);
  // allSettled: when one fails to start, the others finish starting and are stopped with the rest.
  const started = await Promise.allSettled([startBuiltIn(upstreamUrl), startNginxProxy(upstreamUrl), startHaproxy(upstreamUrl), startNodeHttpProxy(upstreamUrl)]);
  const proxies = started.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  const direct: BenchServer = { ...upstream, name: 'direct' };
  const targets = [direct, ...proxies];

  const throughputRuns = new Map<string, ThroughputRun[]>(targets.map((target) => [target.name, []]));
  const wrkRun = wrkRunner(wrk, tempDir('uf-bench-wrk-'), { threads: 1, connections });
  console.log('\nthroughput runs');
  for (let round = 0; round < rounds; round++) {
    for (const target of rotate(targets, round)) {
      await wrkRun(target.url, warmupSeconds);
      const cpuBefore = cpuSecondsOf(target.server.pid);
      const result = await wrkRun(target.url, seconds);
      const cpuAfter = cpuSecondsOf(target.server.pid);
      if (cpuBefore !== undefined && cpuAfter !== undefined) result.cpuUsPerRequest = ((cpuAfter - cpuBefore) * 1e6) / (result.rps * seconds);
      throughputRuns.get(target.name)!.push(result);
      const cpu = result.cpuUsPerRequest === undefined ? '' : `  ${result.cpuUsPerRequest.toFixed(1)} µs CPU/req`;
      console.log(`  round ${round + 1} ${target.name.padEnd(10)} ${Math.round(result.rps).toString().padStart(7)} req/s  p99 ${result.p99Ms.toFixed(2)} ms${cpu}${result.errors ? `  ${result.errors} errors` : ''}`);
    }
  }
  const summaries = targets.map((target) => summarize(target.name, throughputRuns.get(target.name)!));
  const byName = (name: string): ThroughputSummary => summaries.find((summary) => summary.name === name)!;

  console.log('\nadded latency runs');
  const added: AddedLatency[] = proxies.map((proxy) => {
    const half = byName(proxy.name).rps / 2;
    return { name: proxy.name, rate: Math.min(half, openMaxRate), capped: half > openMaxRate, direct: [], proxied: [] };
  });
  for (let round = 0; round < openRounds; round++) {
    for (const [index, proxy] of proxies.entries()) {
      const result = added[index]!;
      // Alternate which of the pair goes first, so that neither always runs right after the other.
      const directFirst = (round + index) % 2 === 0;
      const first = await openLoop(directFirst ? direct : proxy, result.rate);
      const second = await openLoop(directFirst ? proxy : direct, result.rate);
      const [directRun, proxiedRun] = directFirst ? [first, second] : [second, first];
      result.direct.push(directRun);
      result.proxied.push(proxiedRun);
      const busy = proxiedRun.cpuShare === undefined ? '' : ` (proxy busy ${(proxiedRun.cpuShare * 100).toFixed(0)}% of a core)`;
      console.log(`  round ${round + 1} ${proxy.name.padEnd(10)} at ${Math.round(result.rate)} req/s: p99 direct ${directRun.p99Ms.toFixed(2)} ms, via ${proxiedRun.p99Ms.toFixed(2)} ms${busy}`);
    }
  }

  const nginx = byName('nginx');
  const nodeHttpProxy = byName('http-proxy');
  const builtIn = byName('uf proxy');
  console.log(`\nthroughput (wrk -t1 -c${connections}, median of ${rounds} × ${seconds} s; p50/p99 are wrk's closed-loop latencies;`);
  console.log('CPU µs/req is the target process\'s own CPU per request, the upstream\'s for direct)');
  console.log(throughputTable(summaries, nginx, nodeHttpProxy));
  const fastestProxy = Math.max(...proxies.map((proxy) => byName(proxy.name).rps));
  if (byName('direct').rps < 1.5 * fastestProxy) console.log('  WARNING: direct throughput is less than 1.5x the fastest proxy: the upstream or wrk may be the bottleneck');
  console.log(`\nadded p99 at half of each proxy's capacity (open loop, medians of ${openRounds} pairs of ${openSeconds} s runs, latencies in ms)`);
  console.log(addedLatencyTable(added));
  if (added.some((result) => result.capped)) console.log(`  * capped at UF_BENCH_OPEN_MAX_RATE=${openMaxRate}: half of this proxy's capacity is more than the node generator can send here without starving it`);
  console.log('\naims for the built-in router (uf proxy)');
  for (const line of aimLines(builtIn, nginx, nodeHttpProxy, added.find((result) => result.name === builtIn.name))) console.log(`  ${line}`);
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
