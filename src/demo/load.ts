import http from 'node:http';
import { UfError } from '../core/errors.js';

/** One router the load goes through. */
export interface LoadTarget {
  /** Names the target in the counts (a service). */
  name: string;
  /** Base URL of a built-in router on loopback, e.g. http://127.0.0.1:18080. */
  url: string;
}

/** The load's rate, users and bounds; checked when it starts (a UfError naming the field). */
export interface LoadOptions {
  targets: readonly LoadTarget[];
  /** Requests per second, per target (1..2000). */
  ratePerSecond: number;
  /** Distinct users the requests come from; each request names one in `userHeader` (sticky routing). */
  users: number;
  /** The header the routers keep users on one side by (their `sticky: header:NAME`). */
  userHeader: string;
  /** Requests per target still waiting for their answer, at most (1..1000): past it a due request is skipped, never queued. */
  maxInFlight: number;
  /** Path requested, e.g. /checkout. */
  path: string;
  /** A request without its answer by then is a failure (ms). */
  timeoutMs: number;
}

/** What one target's requests came to, as a client saw them. */
export interface TargetCounts {
  sent: number;
  /** Answered 2xx..4xx. */
  ok: number;
  /** What a client saw fail: a 5xx answer, a refused or reset connection, a timeout. */
  failed: number;
  /** Due but not sent: `maxInFlight` requests were waiting, or the generator itself was held up (it never builds a queue). */
  skipped: number;
  /** Answers per `x-version` header value. */
  versions: Record<string, number>;
}

/** A running load: its counts, and how to stop it. */
export interface LoadGenerator {
  /** Counts so far, per target name. */
  counts(): Record<string, TargetCounts>;
  /** Stops sending; resolves with the final counts once the requests in flight are answered or timed out. */
  stop(): Promise<Record<string, TargetCounts>>;
}

const tickMs = 10;
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The demo's load: open-loop requests at a fixed rate to each target (a request is sent when it is
 * due, whether or not earlier ones were answered, as real users do), from a fixed pool of users
 * named in a header so the routers keep each on one version. Bounded: never more than `maxInFlight`
 * waiting per target, never beyond 2000 a second, and only to loopback addresses (it is a demo
 * tool, not a load tester to point at other hosts).
 */
export function startLoad(options: LoadOptions): LoadGenerator {
  checkOptions(options);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxInFlight });
  const state = options.targets.map((target) => ({
    target,
    url: new URL(options.path, target.url),
    inFlight: 0,
    counts: { sent: 0, ok: 0, failed: 0, skipped: 0, versions: {} } as TargetCounts,
  }));
  const waiting = new Set<Promise<void>>();
  const started = performance.now();
  let due = 0;
  let user = 0;
  let stopped = false;

  const send = (entry: (typeof state)[number]): void => {
    if (entry.inFlight >= options.maxInFlight) {
      entry.counts.skipped += 1;
      return;
    }
    entry.inFlight += 1;
    entry.counts.sent += 1;
    const who = `user-${user++ % options.users}`;
    const request = new Promise<void>((resolve) => {
      let settled = false;
      const finish = (ok: boolean, version?: string) => {
        if (settled) return;
        settled = true;
        entry.inFlight -= 1;
        if (ok) entry.counts.ok += 1;
        else entry.counts.failed += 1;
        if (version) entry.counts.versions[version] = (entry.counts.versions[version] ?? 0) + 1;
        resolve();
      };
      const req = http.get(entry.url, { agent, headers: { [options.userHeader]: who }, timeout: options.timeoutMs }, (res) => {
        const version = typeof res.headers['x-version'] === 'string' ? res.headers['x-version'] : undefined;
        res.resume();
        res.on('end', () => finish((res.statusCode ?? 500) < 500, version));
        res.on('error', () => finish(false));
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', () => finish(false));
    });
    waiting.add(request);
    void request.then(() => waiting.delete(request));
  };

  // After a stall (a blocked event loop) at most two ticks' worth is sent at once; the rest is skipped.
  const burst = Math.max(1, Math.ceil((options.ratePerSecond * tickMs * 2) / 1000));
  const timer = setInterval(() => {
    const target = Math.floor(((performance.now() - started) / 1000) * options.ratePerSecond);
    const count = target - due;
    due = target;
    if (count > burst) for (const entry of state) entry.counts.skipped += count - burst;
    for (let i = 0; i < Math.min(count, burst); i++) for (const entry of state) send(entry);
  }, tickMs);

  const counts = () => Object.fromEntries(state.map((e) => [e.target.name, structuredClone(e.counts)]));
  return {
    counts,
    async stop() {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
      }
      await Promise.all([...waiting]);
      agent.destroy();
      return counts();
    },
  };
}

function checkOptions(options: LoadOptions): void {
  const bad = (field: string, why: string) => new UfError('usage', `load generator: ${field} ${why}`, { path: field });
  if (!Number.isFinite(options.ratePerSecond) || options.ratePerSecond < 1 || options.ratePerSecond > 2000) throw bad('ratePerSecond', `must be from 1 to 2000, not ${options.ratePerSecond}`);
  if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1 || options.maxInFlight > 1000) throw bad('maxInFlight', `must be a whole number from 1 to 1000, not ${options.maxInFlight}`);
  if (!Number.isInteger(options.users) || options.users < 1) throw bad('users', `must be a whole number of at least 1, not ${options.users}`);
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) throw bad('timeoutMs', `must be a positive number of milliseconds, not ${options.timeoutMs}`);
  if (options.targets.length === 0) throw bad('targets', 'must name at least one router');
  for (const target of options.targets) {
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      throw bad(`targets.${target.name}.url`, `is not a URL: ${target.url}`);
    }
    if (url.protocol !== 'http:' || !loopbackHosts.has(url.hostname)) throw bad(`targets.${target.name}.url`, `must be an http:// address on loopback (127.0.0.1, localhost, [::1]), not ${target.url}`);
  }
}
