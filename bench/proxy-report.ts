/** The tables `npm run bench:proxy` prints; pure functions of the measured figures. */
import type { OpenLoopReport } from './proxy-open-loop-report.js';
import type { ScalingResult } from './proxy-scaling.js';
import type { ThroughputRun } from './proxy-wrk.js';

export interface ThroughputSummary {
  name: string;
  runs: ThroughputRun[];
  /** Medians over the rounds, each figure on its own. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Median CPU per request of the target's own process (the upstream's, for direct). */
  cpuUsPerRequest: number | undefined;
  errors: number;
}

/** An open-loop report and how busy the target's process was meanwhile (0..1 of a core). */
export type OpenLoopRun = OpenLoopReport & { cpuShare: number | undefined };

export interface AddedLatency {
  name: string;
  /** Half of the target's median closed-loop throughput, or the generator's ceiling when lower. */
  rate: number;
  capped: boolean;
  /** Paired open-loop runs at `rate`, straight at the upstream and through the proxy. */
  direct: OpenLoopRun[];
  proxied: OpenLoopRun[];
}

/** Medians over the paired runs; added p99 = median p99 through the proxy − median p99 direct. */
export function addedFigures(result: AddedLatency) {
  const of = (runs: OpenLoopRun[], key: 'p50Ms' | 'p99Ms' | 'sentRate') => median(runs.map((run) => run[key]));
  const problems = [...result.direct, ...result.proxied].reduce((sum, run) => sum + run.errors + run.unfinished, 0);
  const directP99 = of(result.direct, 'p99Ms');
  const proxiedP99 = of(result.proxied, 'p99Ms');
  return {
    directP50: of(result.direct, 'p50Ms'),
    proxiedP50: of(result.proxied, 'p50Ms'),
    directP99,
    proxiedP99,
    addedP99: proxiedP99 - directP99,
    sentDirect: of(result.direct, 'sentRate'),
    sentProxied: of(result.proxied, 'sentRate'),
    problems,
    proxyCpuShare: result.proxied.every((run) => run.cpuShare !== undefined) ? median(result.proxied.map((run) => run.cpuShare!)) : undefined,
    senderStallMs: Math.max(...[...result.direct, ...result.proxied].map((run) => run.maxTickGapMs)),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarize(name: string, runs: ThroughputRun[]): ThroughputSummary {
  return {
    name,
    runs,
    rps: median(runs.map((run) => run.rps)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    cpuUsPerRequest: runs.every((run) => run.cpuUsPerRequest !== undefined) ? median(runs.map((run) => run.cpuUsPerRequest!)) : undefined,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}

const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const ms = (value: number): string => value.toFixed(2);
const ratio = (value: number): string => `${value.toFixed(2)}x`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function throughputTable(summaries: ThroughputSummary[], nginx: ThroughputSummary, nodeHttpProxy: ThroughputSummary): string {
  const rows = summaries.map((summary) => {
    const rates = summary.runs.map((run) => run.rps);
    return [
      summary.name,
      int(summary.rps),
      `${int(Math.min(...rates))}–${int(Math.max(...rates))}`,
      ms(summary.p50Ms),
      ms(summary.p99Ms),
      ratio(summary.rps / nginx.rps),
      ratio(summary.rps / nodeHttpProxy.rps),
      summary.cpuUsPerRequest === undefined ? '-' : summary.cpuUsPerRequest.toFixed(1),
      String(summary.errors),
    ];
  });
  return table(['target', 'req/s', 'range req/s', 'p50 ms', 'p99 ms', 'vs nginx', 'vs http-proxy', 'CPU µs/req', 'errors'], rows);
}

export function addedLatencyTable(results: AddedLatency[]): string {
  const rows = results.map((result) => {
    const figures = addedFigures(result);
    const runs = (runs: OpenLoopReport[]) => runs.map((run) => ms(run.p99Ms)).join(' ');
    return [
      result.name,
      `${int(result.rate)}${result.capped ? '*' : ''}`,
      `${int(figures.sentDirect)} / ${int(figures.sentProxied)}`,
      ms(figures.directP50),
      ms(figures.proxiedP50),
      ms(figures.directP99),
      ms(figures.proxiedP99),
      ms(figures.addedP99),
      figures.addedP99 < 1 ? 'yes' : 'no',
      figures.proxyCpuShare === undefined ? '-' : `${(figures.proxyCpuShare * 100).toFixed(0)}%`,
      String(figures.problems),
      ms(figures.senderStallMs),
      `${runs(result.direct)} | ${runs(result.proxied)}`,
    ];
  });
  return table(['target', 'rate req/s', 'sent direct / via', 'direct p50', 'via p50', 'direct p99', 'via p99', 'added p99', '< 1 ms', 'proxy busy', 'errors', 'gen stall', 'each run p99: direct | via'], rows);
}

export interface AimInputs {
  builtIn: ThroughputSummary;
  ceiling: ThroughputSummary;
  nginx: ThroughputSummary;
  nodeHttpProxy: ThroughputSummary;
  /** The router's and the Node ceiling's open-loop runs at 30 % of the router's capacity. */
  at30: AddedLatency | undefined;
  ceilingAt30: AddedLatency | undefined;
  scaling: ScalingResult | undefined;
}

/** One line per aim of the data-plane issue: the figure, the aim, and whether it is met. */
export function aimLines({ builtIn, ceiling, nginx, nodeHttpProxy, at30, ceilingAt30, scaling }: AimInputs): string[] {
  const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
  const lines: string[] = [];
  if (builtIn.cpuUsPerRequest !== undefined && ceiling.cpuUsPerRequest !== undefined) {
    const toCeiling = builtIn.cpuUsPerRequest / ceiling.cpuUsPerRequest;
    lines.push(`CPU per request vs Node ceiling:        ${ratio(toCeiling)} (aim <= 1.10x)  ${verdict(toCeiling <= 1.1)}`);
  }
  if (builtIn.cpuUsPerRequest !== undefined && nodeHttpProxy.cpuUsPerRequest !== undefined) {
    const perCore = nodeHttpProxy.cpuUsPerRequest / builtIn.cpuUsPerRequest;
    lines.push(`throughput per core vs http-proxy:      ${ratio(perCore)} (inverse CPU/req; aim >= 2.00x)  ${verdict(perCore >= 2)}`);
  }
  if (at30) {
    const extra = addedFigures(at30).addedP99;
    const floor = ceilingAt30 === undefined ? '' : `; the Node ceiling added ${ms(addedFigures(ceilingAt30).addedP99)} ms at the same rate`;
    lines.push(`added p99 at 30% of capacity:           ${ms(extra)} ms at ${int(at30.rate)} req/s${floor} (aim < 1 ms)  ${verdict(extra < 1)}`);
  }
  if (scaling) {
    const factor = scaling.many.rps / scaling.one.rps;
    const aim = 0.8 * scaling.plan.workers;
    lines.push(`${scaling.plan.workers} workers vs one process:           ${ratio(factor)} (aim >= ${ratio(aim)})  ${verdict(factor >= aim)}${scaling.plan.shared === undefined ? '' : ' (on shared cores, not pinned: a lower bound)'}`);
  }
  lines.push(`for reference, req/s vs nginx ${ratio(builtIn.rps / nginx.rps)}, vs http-proxy ${ratio(builtIn.rps / nodeHttpProxy.rps)} (one Node process cannot reach nginx: see the Node ceiling's row)`);
  return lines;
}
