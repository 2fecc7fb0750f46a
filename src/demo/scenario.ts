import { createServer } from 'node:net';
import { UfError } from '../core/errors.js';

/**
 * The demo's three rollouts: which triaged upgrade of which service each one rolls out, and how
 * the new version behaves (the sample deployer runs it with that behaviour). The choice is made
 * after intake, from the upgrades it really triaged; the behaviours are the demo's premise, and
 * everything measured from them comes from real requests through the built-in routers.
 */
export type ScenarioRole = 'latency-regression' | 'conversion-drop' | 'healthy';

/** One rollout of the demo: which component on which service, and what its new version does. */
export interface ScenarioCase {
  role: ScenarioRole;
  /** `ecosystem:name` of the upgrade's component, as intake names it. */
  component: string;
  service: string;
  /** What the new version does differently from the old one. */
  premise: string;
  /** The new version's behaviour, over the old version's. */
  newBehaviour: Partial<SampleVersionBehaviour>;
}

/** A version's behaviour as the sample deployer's `versions` setting takes it. */
export interface SampleVersionBehaviour {
  latencyMs: number;
  jitterMs: number;
  errorRate: number;
  conversionRate: number;
  queueDrainPerSecond: number;
}

/** How the version a service runs now behaves: 20-30 ms, no errors, 32% conversion, a queue worked off quickly. */
export const currentBehaviour: SampleVersionBehaviour = { latencyMs: 20, jitterMs: 10, errorRate: 0, conversionRate: 0.32, queueDrainPerSecond: 400 };

/** The three cases, in the order the demo reports them. */
export const scenarioCases: readonly ScenarioCase[] = [
  {
    role: 'latency-regression',
    component: 'npm:lodash',
    service: 'catalog',
    premise: 'the new version answers in 400-500 ms instead of 20-30 ms',
    newBehaviour: { latencyMs: 400, jitterMs: 100 },
  },
  {
    role: 'conversion-drop',
    component: 'npm:tough-cookie',
    service: 'checkout',
    premise: 'the new version converts 20% of checkout sessions instead of 32%; latency and errors unchanged',
    newBehaviour: { conversionRate: 0.2 },
  },
  {
    role: 'healthy',
    component: 'npm:axios',
    service: 'shipping',
    premise: 'the new version behaves as the old one',
    newBehaviour: {},
  },
];

/** A chosen case: the upgrades intake made for it (an earlier run's, rolled back, and a new one). */
export interface ScenarioPick extends ScenarioCase {
  /** Every upgrade of the case's component on its service, triaged ones first. */
  candidates: { id: string; state: string }[];
  fromVersion: string;
  toVersion: string;
}

/**
 * Finds each case's upgrades: those of its component that touch its service and only it. Throws
 * when intake made none (the estate changed).
 */
export function pickScenario(upgrades: readonly { id: string; component: string; from: string[]; to: string; state: string; services: string[] }[]): ScenarioPick[] {
  return scenarioCases.map((c) => {
    const found = upgrades
      .filter((u) => u.component === c.component && u.services.length === 1 && u.services[0] === c.service && u.from.length > 0)
      .sort((a, b) => Number(b.state === 'triaged') - Number(a.state === 'triaged'));
    const first = found[0];
    if (!first) throw new UfError('not_found', `the demo's ${c.role} rollout needs a triaged upgrade of ${c.component} on ${c.service}, and intake made none`, { record: c.component });
    return { ...c, candidates: found.map((u) => ({ id: u.id, state: u.state })), fromVersion: first.from[0]!, toVersion: first.to };
  });
}

/** The ports one service's part of the demo listens on, all on 127.0.0.1. */
export interface ServicePorts {
  listen: number;
  admin: number;
  stable: number;
  canary: number;
  baseline: number;
}

/** The analyses' rhythm: short, so that `uf demo --once` ends in about a minute. */
export const demoTiming = { interval: '10s', window: '10s', minDuration: '10s', maxDuration: '2m', minSamples: 40, verificationWindow: '20s' } as const;

/** Requests a second the load generator sends through each router. */
export const demoRatePerSecond = 120;

/** The header the load names its users in and the routers keep them sticky by. */
export const userHeader = 'x-user';

/** Free loopback ports for each service, all distinct (taken at once, then released). */
export async function freePorts(services: readonly string[]): Promise<Record<string, ServicePorts>> {
  const servers = await Promise.all(
    Array.from({ length: services.length * 5 }, () => {
      const server = createServer();
      return new Promise<{ port: number; close: () => Promise<void> }>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          resolve({ port: typeof address === 'object' && address ? address.port : 0, close: () => new Promise((done) => server.close(() => done())) });
        });
      });
    }),
  );
  await Promise.all(servers.map((s) => s.close()));
  const ports = servers.map((s) => s.port);
  return Object.fromEntries(services.map((service, i) => [service, { listen: ports[i * 5]!, admin: ports[i * 5 + 1]!, stable: ports[i * 5 + 2]!, canary: ports[i * 5 + 3]!, baseline: ports[i * 5 + 4]! }]));
}

const local = (port: number) => `127.0.0.1:${port}`;
const url = (port: number) => `http://127.0.0.1:${port}`;

/**
 * The `traffic`, `deployers` and `rollout` sections of the demo's factory.yaml: a built-in router
 * per service (stable, canary and baseline upstreams, users sticky by header), the sample
 * deployer with each version's behaviour on the ports the router names, and the rollout policy.
 *
 * The analysis `<service>-canary` judges the canary over the last 10 s: p95 latency (the router's
 * own measurement) at most 300 ms, 5xx share at most 2%, checkout conversion (the analytics
 * server, per variant) at least 90% of the fresh baseline's, and a queue backlog of at most 200
 * jobs (each version works off 400 a second; a stall of the shared event loop delivers requests in
 * bursts). At 100% no baseline traffic is left to compare conversion with, so the last step runs
 * `<service>-full`: conversion at least 28% instead. Latency has an absolute limit, not one
 * relative to the baseline: the sample services share one process with the load generator, and on
 * a busy machine the event loop's lag adds to every latency, unevenly; with some 60 requests per
 * variant in a window, a few delayed canary requests double its p95 (seen: 233 ms against 68 ms
 * for two identical versions). The lag only adds, so a 400-500 ms version always breaches 300 ms.
 * Every step but the last waits for an approver who did not start the rollout (the built-in gate
 * of the normal and emergency classes). After 100% the upgrade is verified for 20 s (two rounds of
 * the `<service>-full` analysis against production, every 10 s) before it completes.
 */
export function demoRolloutSections(picks: readonly ScenarioPick[], ports: Readonly<Record<string, ServicePorts>>, analyticsUrl: string): Record<string, unknown> {
  // The builtin source names one router's admin API, so each service has its own pair of analyses.
  const analyses: Record<string, unknown> = {};
  const services: Record<string, unknown> = {};
  for (const pick of picks) {
    const source = (stat: string) => ({ kind: 'builtin', adminUrl: url(ports[pick.service]!.admin), stat });
    const kpi = (path: string) => ({ kind: 'http-json', url: `${analyticsUrl}/kpi/{{service}}/{{variant}}?seconds={{windowSeconds}}`, path, countPath: '$.sessions' });
    const measured = [
      { name: 'p95_latency', source: source('p95') },
      { name: 'error_rate', source: source('error_rate') },
      { name: 'conversion', source: kpi('$.conversion') },
      { name: 'queue_backlog', source: kpi('$.peakQueueBacklog') },
    ];
    const key = analysisKey(pick.service);
    // The same limits at every step; conversion against the fresh baseline, except at 100% where no
    // baseline has traffic left and an absolute floor stands in for it.
    const analysis = (conversion: { minRatio: number } | { min: number }) => ({
      interval: demoTiming.interval,
      window: demoTiming.window,
      metrics: measured,
      judge: {
        kind: 'threshold',
        checks: [{ metric: 'p95_latency', max: 300 }, { metric: 'error_rate', max: 0.02 }, { metric: 'conversion', ...conversion }, { metric: 'queue_backlog', max: 200 }],
      },
    });
    analyses[`${key}-canary`] = analysis({ minRatio: 0.9 });
    analyses[`${key}-full`] = analysis({ min: 0.28 });
    services[pick.service] = { analysis: `${key}-canary`, steps: [{ weight: 5 }, { weight: 50 }, { weight: 100, analysis: `${key}-full` }] };
  }
  // Every class needs an analysis when the config loads; other services have no router or
  // deployer here, so no rollout of theirs can start.
  const first = analysisKey(picks[0]!.service);
  return {
    traffic: {
      routers: picks.map((pick) => {
        const p = ports[pick.service]!;
        return { kind: 'builtin', service: pick.service, listen: local(p.listen), admin: local(p.admin), stable: url(p.stable), canary: url(p.canary), baseline: url(p.baseline), sticky: `header:${userHeader}` };
      }),
    },
    deployers: picks.map((pick) => ({
      kind: 'sample',
      service: pick.service,
      host: '127.0.0.1',
      ports: { canary: ports[pick.service]!.canary, baseline: ports[pick.service]!.baseline },
      versions: { [pick.fromVersion]: currentBehaviour, [pick.toVersion]: { ...currentBehaviour, ...pick.newBehaviour } },
      health: { timeoutMs: 10_000, intervalMs: 100, requestTimeoutMs: 2_000 },
    })),
    rollout: {
      analyses,
      defaults: {
        analysis: `${first}-canary`,
        minDuration: demoTiming.minDuration,
        maxDuration: demoTiming.maxDuration,
        minSamples: demoTiming.minSamples,
        onFailure: 'rollback',
        steps: [{ weight: 5 }, { weight: 50 }, { weight: 100, analysis: `${first}-full` }],
        verification: { window: demoTiming.verificationWindow, interval: demoTiming.interval },
      },
      services,
    },
  };
}

function analysisKey(service: string): string {
  return service.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
}
