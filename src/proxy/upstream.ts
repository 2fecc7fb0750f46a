import { Pool } from 'undici';
import { UfError } from '../core/errors.js';
import type { ProxyTimeouts, Variant } from './types.js';
import type { UpstreamErrorKind } from './variant-meter.js';

/**
 * One upstream version and its keep-alive connection pool.
 *
 * undici's Pool driven through `dispatch` with a handler, rather than node's http.Agent: measured
 * with test/proxy/bench/pool-bench.ts (a node http proxy in front of a small JSON upstream,
 * 32 keep-alive clients, 2 cores, medians of 3 alternating 3 s rounds, two runs):
 *   http.Agent + http.request + pipe   11,100 and  9,600 req/s
 *   undici Pool.request + pipeline     11,900 and 10,800 req/s
 *   undici Pool.dispatch + handler     20,800 and 20,100 req/s  (about 1.9x the agent)
 *   this proxy (startProxy, all of it)          21,300 req/s  (second run)
 * dispatch skips the intermediate streams of both other clients.
 */
export interface Upstream {
  variant: Variant;
  /** As given, for messages: `http://10.0.0.5:8080`. */
  url: string;
  origin: string;
  /** Host header to send: the upstream's own host and port. */
  host: string;
  /** Path prefix from the URL, without a trailing slash ('' for none). */
  basePath: string;
  hostname: string;
  port: number;
  pool: Pool;
}

export function parseUpstreamUrl(text: string, option: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UfError('usage', `${option} must be an http:// or https:// URL, not '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UfError('usage', `${option} must be an http:// or https:// URL, not '${text}'`);
  if (url.search !== '' || url.hash !== '') throw new UfError('usage', `${option} must not have a query or fragment: '${text}'`);
  return url;
}

/**
 * `pools` (by origin) lets versions that resolve to the same address share one pool, and so one
 * set of keep-alive connections; a new pool is made and added to it otherwise.
 */
export function createUpstream(variant: Variant, url: URL, timeouts: ProxyTimeouts, connections: number, pools: Map<string, Pool> = new Map()): Upstream {
  const basePath = url.pathname.replace(/\/+$/, '');
  let pool = pools.get(url.origin);
  if (pool === undefined) {
    pool = new Pool(url.origin, {
      connections,
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.responseMs,
      bodyTimeout: timeouts.idleMs,
      keepAliveTimeout: 30_000,
    });
    pools.set(url.origin, pool);
  }
  return {
    variant,
    url: url.href.replace(/\/$/, ''),
    origin: url.origin,
    host: url.host,
    basePath,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
    pool,
  };
}

/**
 * How a failure talking to an upstream is counted; 'aborted' is the client or a shutdown, and
 * 'invalid_request' a request the client library refused to send (the client's fault, e.g. a
 * header value it rejects): neither is counted against a version.
 */
export function classifyUpstreamError(error: unknown): UpstreamErrorKind | 'aborted' | 'invalid_request' {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
      return 'invalid_request';
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
      return 'connect_failed';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'connect_timeout';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'response_timeout';
    case 'UND_ERR_BODY_TIMEOUT':
      return 'body_error';
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'UND_ERR_ABORTED':
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
      return 'aborted';
    default:
      return 'bad_response';
  }
}

/** Failures where the request certainly never reached the upstream. */
export function neverReachedUpstream(kind: UpstreamErrorKind | 'aborted' | 'invalid_request'): boolean {
  return kind === 'connect_failed' || kind === 'connect_timeout';
}

/** Methods whose repetition has no effect beyond the first (RFC 9110 §9.2.2). */
const idempotentMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * Whether a request that failed before any response byte may be sent again, to stable. It must
 * have no body (a streamed body cannot be replayed). A request that never reached the upstream is
 * safe whatever its method; one cut by a reset may have run there, so only idempotent methods.
 */
export function mayRetry(kind: UpstreamErrorKind | 'aborted' | 'invalid_request', method: string, hasBody: boolean): boolean {
  if (hasBody) return false;
  if (neverReachedUpstream(kind)) return true;
  return kind === 'reset' && idempotentMethods.has(method);
}

/**
 * The status and plain-text body a client gets when an upstream failed before answering. It names
 * the version but never the upstream's address or the client library's error text: those are for
 * the proxy's log, not for whoever sent the request.
 */
export function failureResponse(variant: Variant, kind: UpstreamErrorKind): { status: 502 | 504; body: string } {
  switch (kind) {
    case 'connect_failed':
      return { status: 502, body: `uf proxy: the ${variant} version is unreachable\n` };
    case 'connect_timeout':
      return { status: 504, body: `uf proxy: the ${variant} version did not accept a connection in time\n` };
    case 'response_timeout':
      return { status: 504, body: `uf proxy: the ${variant} version did not answer in time\n` };
    case 'deadline':
      return { status: 504, body: `uf proxy: no answer from the ${variant} version within the request deadline\n` };
    case 'reset':
      return { status: 502, body: `uf proxy: the ${variant} version closed the connection before answering\n` };
    case 'body_error':
      return { status: 502, body: `uf proxy: the ${variant} version failed while sending its response\n` };
    case 'bad_response':
      return { status: 502, body: `uf proxy: the ${variant} version sent an invalid HTTP response\n` };
  }
}
