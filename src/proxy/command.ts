import { availableParallelism } from 'node:os';
import { pino, type Logger } from 'pino';
import { UfError } from '../core/errors.js';
import { startProxyCluster, type RunningCluster } from './cluster/primary.js';
import { waitForStopSignal } from '../core/signals.js';
import { assertAdminExposure, parseHostPort, parseMillis, parseWeight } from './options.js';
import { describeStickySource, parseStickySource } from './sticky.js';
import type { ProxyTimeouts } from './types.js';
import { parseUpstreamUrl } from './upstream.js';

/**
 * `uf proxy --listen HOST:PORT --stable URL --canary URL [--canary-weight PCT]
 * [--sticky header:NAME|cookie:NAME|ip] [--admin HOST:PORT]`, as commander hands them over
 * (strings); `--baseline URL` and the timeouts are extras beyond the stable contract.
 */
export interface ProxyCommandOptions {
  listen: string;
  stable: string;
  canary: string;
  /** `--baseline URL`: a third upstream, the stable version deployed fresh, weighted over the admin API. */
  baseline?: string;
  canaryWeight?: string | number;
  sticky?: string;
  admin?: string;
  /** `--sticky-salt`: a per-rollout salt so that each rollout draws its own canary users. */
  stickySalt?: string;
  /** `--connect-timeout MS` (2,000 by default). */
  connectTimeout?: string | number;
  /** `--upstream-timeout MS`: wait for response headers (30,000 by default). */
  upstreamTimeout?: string | number;
  /** `--idle-timeout MS`: longest pause in a streamed response body (60,000 by default). */
  idleTimeout?: string | number;
  /** `--deadline MS`: end-to-end limit to the response headers, queueing included (connect + upstream timeout by default). */
  deadline?: string | number;
  /** `--workers N`: router processes on one listen socket; the number of cores (at most 8) by default, 1 for a single worker. */
  workers?: string | number;
}

/** Most router workers `uf proxy` starts unasked. */
export const defaultWorkersCap = 8;

/** `--workers`: a whole number from 1 to 64, or the number of cores (at most 8) when absent. */
export function parseWorkers(value: string | number | undefined, cores = availableParallelism()): number {
  if (value === undefined) return Math.max(1, Math.min(cores, defaultWorkersCap));
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(Number.isInteger(n) && n >= 1 && n <= 64)) throw new UfError('usage', `--workers must be a whole number from 1 to 64, not '${value}'`);
  return n;
}

export interface ProxyCommandRuntime {
  /** Where UF_ADMIN_TOKEN and UF_LOG_LEVEL are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** One line for the user once the proxy listens. */
  out?: (line: string) => void;
  logger?: Logger;
  /** Stops the proxy when it settles; SIGINT or SIGTERM by default. */
  until?: Promise<unknown>;
  /** Called with the running proxy (the primary of its workers) once it listens (tests). */
  onReady?: (proxy: RunningCluster) => void;
}

/** Runs the built-in router until stopped; returns the exit code (0). Bad options throw UfError('usage'). */
export async function runProxyCommand(options: ProxyCommandOptions, runtime: ProxyCommandRuntime = {}): Promise<0> {
  const env = runtime.env ?? process.env;
  const timeouts: Partial<ProxyTimeouts> = {};
  if (options.connectTimeout !== undefined) timeouts.connectMs = parseMillis(options.connectTimeout, '--connect-timeout');
  if (options.upstreamTimeout !== undefined) timeouts.responseMs = parseMillis(options.upstreamTimeout, '--upstream-timeout');
  if (options.idleTimeout !== undefined) timeouts.idleMs = parseMillis(options.idleTimeout, '--idle-timeout');
  if (options.deadline !== undefined) timeouts.deadlineMs = parseMillis(options.deadline, '--deadline');
  const sticky = options.sticky === undefined ? undefined : parseStickySource(options.sticky);
  const listen = parseHostPort(options.listen, '--listen');
  const admin = options.admin === undefined ? undefined : parseHostPort(options.admin, '--admin');
  const stable = parseUpstreamUrl(options.stable, '--stable');
  const canary = parseUpstreamUrl(options.canary, '--canary');
  const baseline = options.baseline === undefined ? undefined : parseUpstreamUrl(options.baseline, '--baseline');
  const canaryWeight = options.canaryWeight === undefined ? 0 : parseWeight(options.canaryWeight, '--canary-weight');
  const logger = runtime.logger ?? pino({ level: env.UF_LOG_LEVEL ?? 'info' });
  const adminToken = env.UF_ADMIN_TOKEN;
  assertAdminExposure(admin, adminToken, '--admin');
  const workers = parseWorkers(options.workers);

  const proxyOptions = { listen, admin, stable, canary, ...(baseline ? { baseline } : {}), canaryWeight, sticky, stickySalt: options.stickySalt, adminToken, timeouts, logger, processMetrics: true };
  // Even one worker runs under a primary: it gets the router's V8 flags and is restarted if it dies.
  const proxy = await startProxyCluster({ ...proxyOptions, workers });
  if (admin && (adminToken === undefined || adminToken === '')) logger.warn({ adminUrl: proxy.adminUrl }, 'admin API on loopback without a token: any local process can change the weights');
  runtime.out?.(
    `uf proxy: ${proxy.url} -> stable ${stable.href} / canary ${canary.href} at ${canaryWeight}%${baseline ? ` / baseline ${baseline.href}` : ''} (sticky: ${describeStickySource(sticky)})` +
      (proxy.adminUrl ? `; admin ${proxy.adminUrl}` : '; no admin API (use --admin HOST:PORT)'),
  );
  runtime.out?.(
    workers > 1
      ? `uf proxy: ${workers} router processes share ${proxy.url}; the admin API sums their measurements`
      : `uf proxy: 1 router process serves ${proxy.url}, restarted if it stops`,
  );
  runtime.onReady?.(proxy);
  await (runtime.until ?? waitForStopSignal());
  await proxy.close();
  return 0;
}
