import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeasurementResult } from '../types.js';
import type { MetricProvider, MetricQuery } from './types.js';

/**
 * The shared contract every MetricProvider passes (as Hono runs every router through `runTest`):
 * a provider is done when this suite is green against a real endpoint.
 *
 *   runMetricProviderContract({ name: 'http-json', setup: async () => ({ provider, query, pointedAt, teardown }) });
 *
 * Test-only: it imports vitest. The suite starts its own misbehaving endpoints on 127.0.0.1 (a
 * closed port, one that never answers, one that answers garbage, one that answers 500) and
 * expects each to be an `ok: false` result naming the endpoint, never an exception, never a pass.
 */
export interface MetricProviderHarness<Settings> {
  provider: MetricProvider<Settings>;
  /** A query against the working endpoint, fresh at each call (a window that ends now). */
  query(): MetricQuery<Settings>;
  /** Runs between `startWindow` and `measure` of the good query: traffic, a step of the clock. */
  between?(): Promise<void>;
  /** The good query's settings aimed at `baseUrl` (`http://127.0.0.1:PORT`), with this timeout. */
  pointedAt(baseUrl: string, timeoutMs: number): Settings;
  teardown(): Promise<void>;
}

export interface MetricProviderContractTarget<Settings> {
  name: string;
  /** Why the suite cannot run here (a server binary is missing); shown in the suite's name. */
  skip?: string | undefined;
  /**
   * For a provider whose endpoint is the service under test (the journey provider), not a metrics
   * source: a wrong answer there (garbage, unexpected JSON, an error status) is what it measures,
   * so the suite expects a measurement of `failingValue` (never a pass) instead of an error. No
   * answer at all is an error for every provider.
   */
  measuresTheService?: { failingValue: number };
  setup(): Promise<MetricProviderHarness<Settings>>;
}

/** How long the slow endpoint lets a provider wait: the provider must give up by itself first. */
const timeoutMs = 400;

interface BadEndpoints {
  closed: string;
  silent: string;
  garbage: string;
  wrongJson: string;
  failing: string;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server; sockets: Set<Socket> }> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, sockets };
}

async function startBadEndpoints(): Promise<BadEndpoints> {
  const closedOne = await listen(() => undefined);
  await new Promise<void>((resolve) => closedOne.server.close(() => resolve()));
  const silent = await listen(() => undefined);
  const garbage = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>502 Bad Gateway {{oops</body></html>');
  });
  const wrongJson = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"unexpected": true}');
  });
  const failing = await listen((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error');
  });
  const servers = [silent, garbage, wrongJson, failing];
  return {
    closed: closedOne.url,
    silent: silent.url,
    garbage: garbage.url,
    wrongJson: wrongJson.url,
    failing: failing.url,
    async close() {
      for (const { server, sockets } of servers) {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

function expectFailureNaming<S>(result: MeasurementResult, query: MetricQuery<S>, provider: string, endpoint: string): void {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (result.ok) return;
  expect(result.error).toMatchObject({ metric: query.metric, variant: query.variant, window: query.window, source: { provider } });
  expect(result.error.reason).toContain(new URL(endpoint).host);
}

export function runMetricProviderContract<Settings>(target: MetricProviderContractTarget<Settings>): void {
  const title = target.skip === undefined ? `MetricProvider contract: ${target.name}` : `MetricProvider contract: ${target.name} (skipped: ${target.skip})`;

  describe.skipIf(target.skip !== undefined)(title, () => {
    let harness: MetricProviderHarness<Settings>;
    let bad: BadEndpoints;

    beforeAll(async () => {
      harness = await target.setup();
      bad = await startBadEndpoints();
    });
    afterAll(async () => {
      await bad?.close();
      await harness?.teardown();
    });

    const aimedAt = (baseUrl: string): MetricQuery<Settings> => ({ ...harness.query(), settings: harness.pointedAt(baseUrl, timeoutMs) });

    it('measures the asked metric of the asked variant over the asked window, naming its source', async () => {
      const query = harness.query();
      await harness.provider.startWindow?.(query);
      await harness.between?.();
      const result = await harness.provider.measure(query);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (!result.ok) return;
      const { measurement } = result;
      expect(measurement).toMatchObject({ metric: query.metric, variant: query.variant, window: query.window, source: { provider: harness.provider.id } });
      expect(measurement.samples.every((sample) => Number.isFinite(sample))).toBe(true);
      expect(measurement.value === undefined || Number.isFinite(measurement.value)).toBe(true);
      expect(measurement.samples.length > 0 || measurement.value !== undefined).toBe(true);
    });

    it('reports an unreachable endpoint as an error naming it', async () => {
      const query = aimedAt(bad.closed);
      expectFailureNaming(await harness.provider.measure(query), query, harness.provider.id, bad.closed);
    });

    it('gives up on an endpoint that does not answer within the timeout, with an error naming it', async () => {
      const query = aimedAt(bad.silent);
      await harness.provider.startWindow?.(query);
      const started = performance.now();
      const result = await harness.provider.measure(query);
      expect(performance.now() - started).toBeLessThan(timeoutMs + 3_000);
      expectFailureNaming(result, query, harness.provider.id, bad.silent);
    });

    const measuresTheService = target.measuresTheService;
    const wrongAnswers = measuresTheService === undefined ? 'errors naming the endpoint' : `a measurement of ${measuresTheService.failingValue}, never a pass`;
    it(`reports garbage, unexpected JSON and an error status as ${wrongAnswers}`, async () => {
      for (const endpoint of [bad.garbage, bad.wrongJson, bad.failing]) {
        const query = aimedAt(endpoint);
        await harness.provider.startWindow?.(query);
        const result = await harness.provider.measure(query);
        if (measuresTheService === undefined) {
          expectFailureNaming(result, query, harness.provider.id, endpoint);
          continue;
        }
        expect(result.ok, JSON.stringify(result)).toBe(true);
        if (result.ok) expect(result.measurement).toMatchObject({ metric: query.metric, variant: query.variant, value: measuresTheService.failingValue, source: { provider: harness.provider.id } });
      }
    });

    it('never rejects, whatever the endpoints do, even all at once', async () => {
      const queries = [bad.closed, bad.silent, bad.garbage, bad.wrongJson, bad.failing].map(aimedAt);
      const settled = await Promise.allSettled(queries.map((query) => harness.provider.measure(query)));
      const neverAPass = (outcome: PromiseSettledResult<MeasurementResult>) =>
        outcome.status === 'fulfilled' && (!outcome.value.ok || (measuresTheService !== undefined && outcome.value.measurement.value === measuresTheService.failingValue));
      expect(settled.every(neverAPass)).toBe(true);
    });
  });
}
