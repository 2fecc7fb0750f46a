/**
 * The worker-scaling part of `npm run bench:proxy`: the built-in router as one process and as
 * `uf proxy --workers N`, each under the same closed-loop load, with req/s and CPU µs per request
 * summed over all its processes (primary and workers). The aim is N workers serving at least
 * 0.8 × N × one worker's req/s on N cores free for the router (and more for the upstream and load
 * generator). A machine with fewer cores runs the workers unpinned beside the others and says so:
 * there the figure is a lower bound of what N free cores give, since the upstream and the load
 * generator take their share of the same cores.
 */
import { availableParallelism } from 'node:os';
import { summarize, type ThroughputSummary } from './proxy-report.js';
import { pinning, startBuiltIn, type BenchServer } from './proxy-servers.js';
import { measuredRun, type ThroughputRun } from './proxy-wrk.js';

export interface ScalingPlan {
  workers: number;
  /** Cores for the router's processes (taskset list), when the machine has room to pin them apart. */
  cores: string | undefined;
  /** Why the router's cores are shared with the upstream and load generator here; undefined when they are its own. */
  shared: string | undefined;
}

/**
 * With C cores, upstream and load generator keep one core each (the last two, see bench/proxy.ts)
 * and the router gets the rest: N = C − 2 workers pinned to cores 0..N−1, at most 8. Below 4 cores
 * there is no room for two dedicated router cores: 2 workers run unpinned beside the others.
 */
export function scalingPlan(cores = availableParallelism()): ScalingPlan {
  if (cores >= 4) {
    const workers = Math.min(cores - 2, 8);
    return { workers, cores: `0-${workers - 1}`, shared: undefined };
  }
  return {
    workers: 2,
    cores: undefined,
    shared: `this machine has ${cores} core(s): the 2 workers run unpinned, sharing them with the upstream and the load generator, so the factor is a lower bound of what 2 free cores give (4 or more cores pin the router apart)`,
  };
}

export interface ScalingResult {
  plan: ScalingPlan;
  one: ThroughputSummary;
  many: ThroughputSummary;
}

/**
 * Runs the router with 1 and with `plan.workers` processes, `rounds` alternating wrk runs each
 * after a warm-up, and returns the medians.
 */
export async function measureScaling(
  upstream: URL,
  plan: ScalingPlan,
  run: (url: string, seconds: number) => Promise<ThroughputRun>,
  options: { seconds: number; warmupSeconds: number; rounds: number; log: (line: string) => void },
): Promise<ScalingResult> {
  const one = await startBuiltIn(upstream, 1, plan.cores === undefined ? pinning.proxy : '0');
  const many = await startBuiltIn(upstream, plan.workers, plan.cores);
  const runs = new Map<BenchServer, ThroughputRun[]>([
    [one, []],
    [many, []],
  ]);
  for (let round = 0; round < options.rounds; round++) {
    for (const target of round % 2 === 0 ? [one, many] : [many, one]) {
      const result = await measuredRun(run, target, options.seconds, options.warmupSeconds);
      runs.get(target)!.push(result);
      const cpu = result.cpuUsPerRequest === undefined ? '' : `  ${result.cpuUsPerRequest.toFixed(1)} µs CPU/req (all processes)`;
      options.log(`  round ${round + 1} ${target.name.padEnd(12)} ${Math.round(result.rps).toString().padStart(7)} req/s${cpu}${result.errors ? `  ${result.errors} errors` : ''}`);
    }
  }
  await Promise.all([one.server.stop(), many.server.stop()]);
  return { plan, one: summarize(one.name, runs.get(one)!), many: summarize(many.name, runs.get(many)!) };
}

/** The scaling figures and the aim's verdict, or the statement of why this machine cannot test it. */
export function scalingLines(result: ScalingResult): string[] {
  const { plan, one, many } = result;
  const factor = many.rps / one.rps;
  const cpu = (figure: number | undefined) => (figure === undefined ? '-' : `${figure.toFixed(1)} µs CPU/req`);
  const lines = [
    `1 process:    ${Math.round(one.rps).toLocaleString('en-US').padStart(8)} req/s  ${cpu(one.cpuUsPerRequest)}`,
    `${plan.workers} workers:    ${Math.round(many.rps).toLocaleString('en-US').padStart(8)} req/s  ${cpu(many.cpuUsPerRequest)} (primary and workers together)`,
    `scaling: ${factor.toFixed(2)}x one process with ${plan.workers} workers (aim >= ${(0.8 * plan.workers).toFixed(2)}x)`,
  ];
  const verdict = factor >= 0.8 * plan.workers ? 'met' : 'MISSED';
  if (plan.shared !== undefined) lines.push(`  ${verdict} on shared cores: ${plan.shared}`);
  else lines.push(`  ${verdict} (router pinned to cores ${plan.cores})`);
  return lines;
}
