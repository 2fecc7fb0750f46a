/**
 * Closed-loop throughput with wrk: a fixed number of keep-alive connections, each sending its next
 * request as soon as the last one is answered. A small Lua `done` hook prints the figures as one
 * JSON line with latencies in microseconds, instead of parsing wrk's rounded text.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { cpuSecondsOfTree, pinned, runTool, type BenchServer } from './proxy-servers.js';

const reportScript = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\n{"requests":%d,"durationUs":%d,"socketErrors":%d,"badStatus":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
`;

const wrkReportSchema = z.object({
  requests: z.number(),
  durationUs: z.number(),
  socketErrors: z.number(),
  badStatus: z.number(),
  p50Us: z.number(),
  p99Us: z.number(),
});

export interface ThroughputRun {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors plus responses other than 2xx/3xx. */
  errors: number;
  /** CPU the measured server used per request, in microseconds, when it could be read. */
  cpuUsPerRequest?: number;
}

export interface WrkSettings {
  threads: number;
  connections: number;
}

/** Writes the Lua report hook into `dir` and returns a runner bound to it. */
export function wrkRunner(wrk: string, dir: string, settings: WrkSettings): (url: string, seconds: number) => Promise<ThroughputRun> {
  const script = join(dir, 'report.lua');
  writeFileSync(script, reportScript);
  return async (url, seconds) => {
    const args = ['-t', String(settings.threads), '-c', String(settings.connections), '-d', `${seconds}s`, '--timeout', '2s', '-s', script, `${url}/`];
    const [command, pinnedArgs] = pinned('load', wrk, args);
    const stdout = await runTool(command, pinnedArgs, (seconds + 30) * 1000);
    const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'));
    if (line === undefined) throw new Error(`wrk printed no report:\n${stdout}`);
    const report = wrkReportSchema.parse(JSON.parse(line));
    return {
      rps: report.requests / (report.durationUs / 1e6),
      p50Ms: report.p50Us / 1000,
      p99Ms: report.p99Us / 1000,
      errors: report.socketErrors + report.badStatus,
    };
  };
}

/**
 * One measured throughput run against `target` after a warm-up, with the CPU its process tree
 * used per request (when /proc shows it).
 */
export async function measuredRun(run: (url: string, seconds: number) => Promise<ThroughputRun>, target: BenchServer, seconds: number, warmupSeconds: number): Promise<ThroughputRun> {
  await run(target.url, warmupSeconds);
  const cpuBefore = cpuSecondsOfTree(target.server.pid);
  const result = await run(target.url, seconds);
  const cpuAfter = cpuSecondsOfTree(target.server.pid);
  if (cpuBefore !== undefined && cpuAfter !== undefined) result.cpuUsPerRequest = ((cpuAfter - cpuBefore) * 1e6) / (result.rps * seconds);
  return result;
}
