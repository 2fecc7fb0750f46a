import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SampleService } from '../proxy/sample-service.js';
import { kpiHorizonSeconds } from '../proxy/sample-kpi.js';

/** The variants the analytics server answers for, as the rollout's metric sources name them. */
export const analyticsVariants = ['stable', 'canary', 'baseline'] as const;
export type AnalyticsVariant = (typeof analyticsVariants)[number];

/** Finds the sample service instance that runs a service's variant now, if any. */
export type InstanceLookup = (service: string, variant: AnalyticsVariant) => SampleService | undefined;

/** The running analytics server: its base URL, and how to stop it. */
export interface DemoAnalytics {
  url: string;
  close(): Promise<void>;
}

/**
 * The demo's stand-in for a product analytics system: business KPIs per service and variant, read
 * by the rollout's `http-json` metric sources. `GET /kpi/{service}/{variant}?seconds=N` answers
 * `{service, variant, version, seconds, sessions, conversions, conversion, queueBacklog,
 * peakQueueBacklog}`: the counts of the sample service instance that runs that variant now (the
 * canary and baseline the sample deployer started, the stable the demo runs), over its last N
 * seconds. A variant with no instance running is a 404, never a made-up figure. Loopback only.
 */
export async function startDemoAnalytics(lookup: InstanceLookup, port = 0): Promise<DemoAnalytics> {
  const server = http.createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://analytics');
    const match = /^\/kpi\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) return send(res, 404, { error: 'GET /kpi/{service}/{variant}?seconds=N' });
    const service = decodeURIComponent(match[1]!);
    const variant = decodeURIComponent(match[2]!);
    if (!(analyticsVariants as readonly string[]).includes(variant)) return send(res, 404, { error: `variant must be one of ${analyticsVariants.join(', ')}, not ${variant}` });
    const seconds = Number(url.searchParams.get('seconds') ?? '60');
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > kpiHorizonSeconds) return send(res, 400, { error: `seconds must be a whole number from 1 to ${kpiHorizonSeconds}` });
    const instance = lookup(service, variant as AnalyticsVariant);
    if (!instance) return send(res, 404, { error: `no ${variant} of ${service} is running` });
    send(res, 200, { service, variant, version: instance.version, ...instance.kpi(seconds) });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
