import { systemClock, type Clock } from '../core/clock.js';
import { startProxy, type RunningProxy } from '../proxy/server.js';
import { startSampleService, type SampleService } from '../proxy/sample-service.js';
import type { WindowSummary } from '../proxy/sliding-window.js';

export interface DemoTraffic {
  service: string;
  proxy: RunningProxy;
  stable: SampleService;
  canary: SampleService;
  close(): Promise<void>;
}

export interface TrafficSummary {
  service: string;
  canaryWeight: number;
  requests: number;
  failedForClients: number;
  variants: Record<'stable' | 'canary', Pick<WindowSummary, 'requests' | 'errorRate' | 'p50' | 'p95' | 'p99'>>;
}

const requests = 2_000;
const concurrency = 8;

/**
 * The traffic stage of the demo: the service's current version (v1) and a deliberately slow and
 * failing v2 behind the built-in router at 5%, with users kept on one version by a header.
 * `clock` is the router's (its /stats windows).
 */
export async function startDemoTraffic(service: string, listenPort = 0, clock: Clock = systemClock): Promise<DemoTraffic> {
  const stable = await startSampleService({ version: 'v1', latencyMs: 4, jitterMs: 2 });
  const canary = await startSampleService({ version: 'v2', latencyMs: 35, jitterMs: 10, errorRate: 0.03 });
  const proxy = await startProxy({
    listen: { host: '127.0.0.1', port: listenPort },
    admin: { host: '127.0.0.1', port: 0 },
    stable: stable.url,
    canary: canary.url,
    canaryWeight: 5,
    sticky: { kind: 'header', name: 'x-user' },
    clock,
  });
  return {
    service,
    proxy,
    stable,
    canary,
    close: async () => {
      await proxy.close();
      await Promise.all([stable.close(), canary.close()]);
    },
  };
}

/** Sends a bounded burst of requests from distinct users and reads the router's own measurements. */
export async function driveDemoTraffic(traffic: DemoTraffic): Promise<TrafficSummary> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    for (let i = next++; i < requests; i = next++) {
      try {
        const response = await fetch(`${traffic.proxy.url}/checkout/cart`, { headers: { 'x-user': `user-${i}` } });
        await response.arrayBuffer();
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const stats = traffic.proxy.control.stats();
  const view = (w: WindowSummary) => ({ requests: w.requests, errorRate: w.errorRate, p50: w.p50, p95: w.p95, p99: w.p99 });
  return {
    service: traffic.service,
    canaryWeight: stats.weights.canary,
    requests,
    failedForClients: failed,
    variants: { stable: view(stats.variants.stable.windows['60s']), canary: view(stats.variants.canary.windows['60s']) },
  };
}

export function formatTraffic(t: TrafficSummary): string[] {
  const line = (name: string, v: TrafficSummary['variants']['stable']) =>
    `    ${name.padEnd(6)} ${String(v.requests).padStart(5)} requests, p50 ${ms(v.p50)}, p95 ${ms(v.p95)}, p99 ${ms(v.p99)}, 5xx ${v.errorRate === null ? '-' : `${(v.errorRate * 100).toFixed(1)}%`}`;
  return [
    `  traffic: ${t.service} v1 (stable) and a deliberately slow, failing v2 (canary) behind the built-in router at ${t.canaryWeight}%, users sticky by x-user:`,
    line('stable', t.variants.stable),
    line('canary', t.variants.canary),
    `    (${t.requests} requests from ${t.requests} users; the canary's verdict and rollback come with the rollout stage, not built yet)`,
  ];
}

function ms(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(1)} ms`;
}
