import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { KpiCounter, kpiHorizonSeconds, type KpiReport } from './sample-kpi.js';
import { acceptEchoWebSocket } from './sample-websocket.js';

export interface SampleBehaviour {
  /** Added to every response. */
  latencyMs: number;
  /** Up to this much more, uniformly at random. */
  jitterMs: number;
  /** Share of requests answered 500, 0..1. */
  errorRate: number;
  /** Share of successful sessions that convert (checkout conversion), 0..1; 0 by default. */
  conversionRate: number;
  /** Queue jobs (one per session) worked off per second; undefined: no backlog builds up. */
  queueDrainPerSecond: number | undefined;
}

export interface SampleServiceOptions extends Partial<SampleBehaviour> {
  /** Reported in every response body and in the `x-version` header, e.g. `v1`. */
  version: string;
  /** 0 (a free port) by default. */
  port?: number;
  /** 127.0.0.1 by default. */
  host?: string;
}

export interface SampleService {
  url: string;
  version: string;
  /** Changes latency and error rate from the next request on (e.g. make v2 slow mid-demo). */
  setBehaviour(change: Partial<SampleBehaviour>): void;
  /** Sessions, conversion and queue backlog of the last `seconds` seconds (what `GET /kpi?seconds=N` answers). */
  kpi(seconds: number): KpiReport;
  close(): Promise<void>;
}

/**
 * A small HTTP service standing in for one version of a real one, for tests and `uf demo`. Every
 * path answers JSON `{version, path}` with an `x-version` header, after the configured latency and
 * with the configured share of 500s. A few paths help tests: `/echo` streams the request body
 * back, `/bytes?size=N` streams N bytes, `/headers` shows the request headers it received, and
 * `/ws` is a WebSocket echo that prefixes text messages with `<version>:`. Any other path is a
 * session of the business KPIs (`sample-kpi.ts`), which `/kpi?seconds=N` reports at once (no
 * latency, no injected failure): `{version, seconds, sessions, conversions, conversion, queueBacklog, peakQueueBacklog}`.
 */
export async function startSampleService(options: SampleServiceOptions): Promise<SampleService> {
  const behaviour: SampleBehaviour = {
    latencyMs: options.latencyMs ?? 0,
    jitterMs: options.jitterMs ?? 0,
    errorRate: options.errorRate ?? 0,
    conversionRate: options.conversionRate ?? 0,
    queueDrainPerSecond: options.queueDrainPerSecond,
  };
  const kpi = new KpiCounter(() => behaviour);
  const upgraded = new Set<Duplex>();
  const server = http.createServer((req, res) => {
    if ((req.url ?? '').startsWith('/kpi')) return reportKpi(options.version, kpi, req, res);
    const delay = behaviour.latencyMs + Math.random() * behaviour.jitterMs;
    if (delay <= 0) return respond(options.version, behaviour, kpi, req, res);
    const timer = setTimeout(() => respond(options.version, behaviour, kpi, req, res), delay);
    res.on('close', () => clearTimeout(timer));
  });
  server.keepAliveTimeout = 30_000;
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!(req.url ?? '').startsWith('/ws')) return void socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    acceptEchoWebSocket(req, socket, head, `${options.version}:`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    version: options.version,
    setBehaviour: (change) => Object.assign(behaviour, change),
    kpi: (seconds) => kpi.report(seconds),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      }),
  };
}

/** Paths that help tests and health checks: not sessions of the business KPIs. */
const helperPaths = new Set(['/echo', '/bytes', '/headers', '/healthz', '/favicon.ico']);

function respond(version: string, behaviour: SampleBehaviour, kpi: KpiCounter, req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://sample');
  const path = url.pathname;
  const failed = behaviour.errorRate > 0 && Math.random() < behaviour.errorRate;
  if (!helperPaths.has(path)) kpi.session(!failed);
  if (failed) {
    req.resume();
    return sendJson(res, 500, version, { version, path, error: 'injected failure' });
  }
  if (path === '/echo') {
    res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream', 'x-version': version });
    req.pipe(res);
    return;
  }
  req.resume();
  if (path === '/bytes') return streamBytes(res, version, Number(url.searchParams.get('size') ?? '0'));
  if (path === '/headers') return sendJson(res, 200, version, { version, path, headers: req.headers });
  sendJson(res, 200, version, { version, path });
}

function reportKpi(version: string, kpi: KpiCounter, req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  const url = new URL(req.url ?? '/', 'http://sample');
  const seconds = Number(url.searchParams.get('seconds') ?? '60');
  if (url.pathname !== '/kpi' || !Number.isInteger(seconds) || seconds < 1 || seconds > kpiHorizonSeconds) {
    return sendJson(res, 400, version, { version, error: `GET /kpi?seconds=N with N a whole number of seconds from 1 to ${kpiHorizonSeconds}` });
  }
  sendJson(res, 200, version, { version, ...kpi.report(seconds) });
}

function sendJson(res: http.ServerResponse, status: number, version: string, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-version': version });
  res.end(text);
}

/** Streams `size` bytes (a repeating 0..255 pattern) in 64 KiB chunks, honouring backpressure. */
function streamBytes(res: http.ServerResponse, version: string, size: number): void {
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = i & 0xff;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-version': version });
  let left = Number.isFinite(size) && size > 0 ? Math.floor(size) : 0;
  const pump = (): void => {
    while (left > 0) {
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= part.length;
      if (!res.write(part)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}
