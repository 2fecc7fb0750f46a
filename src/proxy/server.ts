import http from 'node:http';
import type { Duplex } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { Pool } from 'undici';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../core/clock.js';
import { UfError } from '../core/errors.js';
import { listen, urlOf } from './listen.js';
import { adminHandler } from './admin.js';
import { clientErrorReasonOf, forwardableTarget } from './client-errors.js';
import { createControl, waitUntil, type ProxyControl } from './control.js';
import { Exchange, sendRefusal, type ForwardContext } from './forward.js';
import { createProxyMeters, type ProxyMeters } from './prometheus.js';
import { RoutingTable } from './routing.js';
import type { WeightsView } from './admin-schema.js';
import { deadlineOf, defaultTimeouts, type OverrideRoute, type ProxyTimeouts, type StickySource } from './types.js';
import { forwardUpgrade } from './upgrade.js';
import { assertAdminExposure } from './options.js';
import { createUpstream, parseUpstreamUrl } from './upstream.js';

export interface HostPort {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface ProxyOptions {
  listen: HostPort;
  stable: string | URL;
  canary: string | URL;
  /**
   * A baseline upstream: a fresh deployment of the old version that receives the canary's share,
   * so that the canary is compared with a version as new to its traffic as itself. None by default.
   */
  baseline?: string | URL;
  /** Percent of requests for the canary at start, 0..100; 0 by default. */
  canaryWeight?: number;
  /** Percent of requests for the baseline at start (needs `baseline`); 0 by default. */
  baselineWeight?: number;
  /** Override route in force from the start (a restarted router resumes with its last one). */
  route?: OverrideRoute;
  /** Hears every change of weights or route, e.g. to restart with the last ones. */
  onChange?: (view: WeightsView) => void;
  /** Where a request's sticky key comes from; without it every request is placed at random. */
  sticky?: StickySource;
  /** Gives this rollout its own draw of canary users. */
  stickySalt?: string;
  /**
   * A routing table made by the caller (a cluster worker, which swaps in the primary's state);
   * the weights, route and sticky options above are then the table's, not read here.
   */
  routing?: RoutingTable;
  /** The admin API address; none when absent (in-process callers use `control`). */
  admin?: HostPort;
  /** Bearer token the admin API requires; open when absent or empty, which only a loopback admin address allows. */
  adminToken?: string;
  timeouts?: Partial<ProxyTimeouts>;
  /** Most connections kept to each upstream; 128 by default. */
  connectionsPerUpstream?: number;
  /** How long reset and close wait for requests in flight; 10 s by default. */
  drainTimeoutMs?: number;
  /** Registry for the proxy's metrics (e.g. the factory's own); a new one by default. */
  registry?: Registry;
  /** Adds node process metrics (CPU, memory, event loop) to the registry. */
  processMetrics?: boolean;
  /** Silent by default. Nothing is logged per request above debug level. */
  logger?: Logger;
  /** Places responses in the /stats windows and dates the snapshots; the system clock by default. */
  clock?: Clock;
}

export interface RunningProxy {
  /** `http://host:port` of the data plane. */
  url: string;
  /** `http://host:port` of the admin API, when it listens. */
  adminUrl: string | undefined;
  control: ProxyControl;
  /** Its measurements (a cluster worker hands their snapshots to the primary). */
  meters: ProxyMeters;
  /** Stops accepting, lets requests in flight finish (up to the drain time), closes the pools. */
  close(): Promise<void>;
}

/** Starts the built-in router: a reverse proxy in front of a stable and a canary upstream. */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const timeouts: ProxyTimeouts = { ...defaultTimeouts, ...options.timeouts };
  const connections = options.connectionsPerUpstream ?? 128;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const logger = options.logger ?? pino({ level: 'silent' });
  const canaryWeight = options.canaryWeight ?? 0;
  const baselineWeight = options.baselineWeight ?? 0;
  if (!(canaryWeight >= 0 && canaryWeight <= 100)) throw new UfError('usage', `the canary weight must be 0..100, not ${canaryWeight}`);
  if (!(baselineWeight >= 0 && baselineWeight + canaryWeight <= 100)) throw new UfError('usage', `the baseline weight must be 0..${100 - canaryWeight} beside the canary's ${canaryWeight}, not ${baselineWeight}`);
  if (baselineWeight > 0 && options.baseline === undefined) throw new UfError('usage', 'a baseline weight needs a baseline upstream');
  assertAdminExposure(options.admin, options.adminToken, 'the admin address');
  const hasBaseline = options.baseline !== undefined;
  const routing = options.routing ?? new RoutingTable({ canaryWeight, baselineWeight, hasBaseline, sticky: options.sticky, stickySalt: options.stickySalt });
  if (options.route && options.routing === undefined) routing.setRoute(options.route);
  const clock = options.clock ?? systemClock;
  const proxyMeters = createProxyMeters(routing, { clock, registry: options.registry, processMetrics: options.processMetrics });
  // Versions at the same origin (e.g. one service behind two paths) share one pool.
  const pools = new Map<string, Pool>();
  const context: ForwardContext = {
    upstreams: {
      stable: createUpstream('stable', parseUpstreamUrl(String(options.stable), '--stable'), timeouts, connections, pools),
      canary: createUpstream('canary', parseUpstreamUrl(String(options.canary), '--canary'), timeouts, connections, pools),
      ...(options.baseline !== undefined ? { baseline: createUpstream('baseline', parseUpstreamUrl(String(options.baseline), '--baseline'), timeouts, connections, pools) } : {}),
    },
    meters: proxyMeters.meters,
    timeouts,
    deadlineMs: deadlineOf(timeouts),
    clientErrors: proxyMeters.clientErrors,
    logger,
    upgraded: new Set(),
  };
  const control = createControl(routing, proxyMeters, clock, drainTimeoutMs, options.onChange);

  const { clientErrors } = proxyMeters;
  const server = http.createServer((req, res) => {
    const target = forwardableTarget(req.url);
    if (target === undefined) {
      // `OPTIONS *` and other targets with no path to forward: the client's doing, charged to no version.
      clientErrors.record('bad_target');
      req.resume();
      return sendRefusal(res, 400, 'uf proxy: this request target cannot be forwarded\n');
    }
    req.url = target;
    new Exchange(context, req, res, routing.choose(req)).start();
  });
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = forwardableTarget(req.url);
    if (target === undefined) {
      clientErrors.record('bad_target');
      return void socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    }
    req.url = target;
    forwardUpgrade(context, req, socket, head, routing.choose(req));
  });
  // A reverse proxy tunnels nothing: CONNECT is refused (node would otherwise drop the connection silently).
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    clientErrors.record('bad_target');
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A keep-alive connection the client reset between requests is no request at all.
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const reason = clientErrorReasonOf(error.code);
    clientErrors.record(reason);
    const status = reason === 'header_too_large' ? '431 Request Header Fields Too Large' : reason === 'request_timeout' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
  const admin = options.admin ? http.createServer(adminHandler(control, options.adminToken, logger)) : undefined;

  try {
    await listen(server, options.listen, 'proxy');
    if (admin && options.admin) await listen(admin, options.admin, 'admin');
  } catch (error) {
    server.close();
    admin?.close();
    await destroyPools(context);
    throw error;
  }
  const url = urlOf(server);
  const adminUrl = admin ? urlOf(admin) : undefined;
  logger.info({ url, adminUrl, stable: context.upstreams.stable.url, canary: context.upstreams.canary.url, baseline: context.upstreams.baseline?.url ?? null, canaryWeight, baselineWeight }, 'proxy listening');

  let closing: Promise<void> | undefined;
  const close = async () => {
    server.close();
    admin?.close();
    server.closeIdleConnections();
    const { meters } = proxyMeters;
    await waitUntil(() => meters.stable.inFlight + meters.canary.inFlight + meters.baseline.inFlight === 0, drainTimeoutMs);
    server.closeAllConnections();
    admin?.closeAllConnections();
    for (const socket of context.upgraded) socket.destroy();
    await destroyPools(context);
    logger.info({ url }, 'proxy stopped');
  };
  return { url, adminUrl, control, meters: proxyMeters, close: () => (closing ??= close()) };
}

function destroyPools(context: ForwardContext): Promise<unknown> {
  return Promise.all([...new Set(Object.values(context.upstreams).map((upstream) => upstream.pool))].map((pool) => pool.destroy()));
}

