import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UfError } from '../core/errors.js';
import type { HeaderRoute, TrafficRouter } from './types.js';

/**
 * The shared contract every TrafficRouter passes (as Hono runs every router through `runTest`):
 * a router is done when this suite is green against a real data plane.
 *
 *   runTrafficRouterContract({ name: 'haproxy', skip, setup: async () => ({ router, send, teardown }) });
 *
 * Test-only: it imports vitest. Cases run in order against one data plane; each starts from `reset()`.
 */

export type Upstream = 'stable' | 'canary';

export interface TrafficRouterHarness {
  router: TrafficRouter;
  /**
   * Makes one real HTTP request through the data plane and reports which upstream answered (the
   * upstreams answer with `x-version: stable|canary`). Rejects on anything but a clean answer.
   */
  send(request: { headers?: Record<string, string> }): Promise<Upstream>;
  teardown(): Promise<void>;
}

export interface TrafficRouterContractTarget {
  name: string;
  /** Why the suite cannot run here (e.g. a server binary is missing); shown as the suite's name. */
  skip?: string | undefined;
  setup(): Promise<TrafficRouterHarness>;
}

/**
 * The figures the suite asserts. The split check: 2,000 requests at 25 %; for a router that picks
 * at random the canary count is binomial (sd = √(2000·0.25·0.75) ≈ 19.4 requests ≈ 0.97 pp), so
 * ±4 pp is 4.1 sd: a correct router fails about 4 times in 100,000 runs, while a router off by
 * 5 pp or more fails nearly always. Deterministic routers (weighted round robin) land on 25 %.
 */
export const contractFigures = {
  splitRequests: 2000,
  splitWeight: 25,
  splitTolerancePp: 4,
  /** Requests per all-or-nothing check (weight 0 or 100, routes): a single stray one fails. */
  exactRequests: 200,
  concurrency: 16,
} as const;

const headerRoute: HeaderRoute = { kind: 'header', name: 'x-uf-canary', value: 'always' };
const cookieRoute: HeaderRoute = { kind: 'cookie', name: 'uf_canary', value: 'always' };

type Send = TrafficRouterHarness['send'];

/** Sends `count` requests, `concurrency` at a time, and counts who answered. */
async function tally(send: Send, count: number, headers?: Record<string, string>): Promise<Record<Upstream, number>> {
  const counts: Record<Upstream, number> = { stable: 0, canary: 0 };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      counts[await send(headers ? { headers } : {})] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(contractFigures.concurrency, count) }, lane));
  return counts;
}

async function expectRejectedAsUsage(attempt: Promise<unknown>): Promise<void> {
  const error: unknown = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UfError);
  expect((error as UfError).code).toBe('usage');
}

export function runTrafficRouterContract(target: TrafficRouterContractTarget): void {
  const title = target.skip === undefined ? `TrafficRouter contract: ${target.name}` : `TrafficRouter contract: ${target.name} (skipped: ${target.skip})`;

  describe.skipIf(target.skip !== undefined)(title, () => {
    let harness: TrafficRouterHarness | undefined;
    const router = (): TrafficRouter => harness!.router;
    const send: Send = (request) => harness!.send(request);
    const { exactRequests } = contractFigures;

    beforeAll(async () => {
      harness = await target.setup();
    });
    afterAll(async () => {
      await harness?.teardown();
    });
    beforeEach(async () => {
      await router().reset();
    });

    it('sends every request to stable at weight 0', async () => {
      await router().setWeight(0);
      expect(await tally(send, exactRequests)).toEqual({ stable: exactRequests, canary: 0 });
    });

    it('sends every request to the canary at weight 100', async () => {
      await router().setWeight(100);
      expect(await tally(send, exactRequests)).toEqual({ stable: 0, canary: exactRequests });
    });

    it(`splits ${contractFigures.splitRequests} requests ${contractFigures.splitWeight}% to the canary, within ±${contractFigures.splitTolerancePp} pp`, async () => {
      const { splitRequests, splitWeight, splitTolerancePp } = contractFigures;
      await router().setWeight(splitWeight);
      const counts = await tally(send, splitRequests);
      const share = (100 * counts.canary) / splitRequests;
      expect(counts.stable + counts.canary).toBe(splitRequests);
      expect(Math.abs(share - splitWeight), `canary share ${share.toFixed(2)}%`).toBeLessThanOrEqual(splitTolerancePp);
    });

    it('reports the weights it set, read back from the data plane', async () => {
      for (const canary of [0, 1, 5, 25, 50, 99, 100, 25]) {
        await router().setWeight(canary);
        const state = await router().verifyWeight();
        expect({ canary: state.canary, stable: state.stable }).toEqual({ canary, stable: 100 - canary });
        expect(state.headerRoute).toBeUndefined();
      }
    });

    it('sends requests with the route header to the canary at weight 0, and stops when the route is removed', async () => {
      await router().setHeaderRoute(headerRoute);
      expect(await tally(send, exactRequests, { 'x-uf-canary': 'always' })).toEqual({ stable: 0, canary: exactRequests });
      // Header names are case-insensitive; values are not, and must match whole.
      expect(await tally(send, 20, { 'X-UF-Canary': 'always' })).toEqual({ stable: 0, canary: 20 });
      const misses: Record<string, string>[] = [{}, { 'x-uf-canary': 'never' }, { 'x-uf-canary': 'Always' }, { 'x-uf-canary': 'alwaysx' }, { 'x-other': 'always' }];
      for (const headers of misses) {
        expect(await tally(send, 20, headers), JSON.stringify(headers)).toEqual({ stable: 20, canary: 0 });
      }
      const state = await router().verifyWeight();
      expect(state.canary).toBe(0);
      if (state.headerRoute !== undefined) expect(state.headerRoute).toEqual(headerRoute);

      await router().setHeaderRoute(undefined);
      expect(await tally(send, exactRequests, { 'x-uf-canary': 'always' })).toEqual({ stable: exactRequests, canary: 0 });
      expect((await router().verifyWeight()).headerRoute).toBeUndefined();
    });

    it('sends requests with the route cookie to the canary at weight 0, and stops when the route is removed', async () => {
      await router().setHeaderRoute(cookieRoute);
      for (const cookie of ['uf_canary=always', 'theme=dark; uf_canary=always', 'uf_canary=always; theme=dark']) {
        expect(await tally(send, 40, { cookie }), cookie).toEqual({ stable: 0, canary: 40 });
      }
      for (const cookie of ['uf_canary=never', 'xuf_canary=always', 'uf_canary=alwaysx', 'theme=uf_canary=always']) {
        expect(await tally(send, 20, { cookie }), cookie).toEqual({ stable: 20, canary: 0 });
      }
      expect(await tally(send, 20, { 'uf_canary': 'always' }), 'a header is not a cookie').toEqual({ stable: 20, canary: 0 });
      const state = await router().verifyWeight();
      if (state.headerRoute !== undefined) expect(state.headerRoute).toEqual(cookieRoute);

      await router().setHeaderRoute(undefined);
      expect(await tally(send, exactRequests, { cookie: 'uf_canary=always' })).toEqual({ stable: exactRequests, canary: 0 });
    });

    it('keeps the route while the weight changes, and replaces it with the next route', async () => {
      await router().setHeaderRoute(headerRoute);
      await router().setWeight(25);
      expect(await tally(send, 100, { 'x-uf-canary': 'always' })).toEqual({ stable: 0, canary: 100 });
      const state = await router().verifyWeight();
      expect({ canary: state.canary, stable: state.stable }).toEqual({ canary: 25, stable: 75 });

      await router().setWeight(0);
      await router().setHeaderRoute(cookieRoute);
      expect(await tally(send, 40, { 'x-uf-canary': 'always' }), 'the old header route is gone').toEqual({ stable: 40, canary: 0 });
      expect(await tally(send, 40, { cookie: 'uf_canary=always' })).toEqual({ stable: 0, canary: 40 });
    });

    it('reset sends everything back to stable and removes the route', async () => {
      await router().setWeight(50);
      await router().setHeaderRoute(headerRoute);
      await router().reset();
      const state = await router().verifyWeight();
      expect(state).toEqual({ canary: 0, stable: 100 });
      expect(await tally(send, exactRequests, { 'x-uf-canary': 'always' })).toEqual({ stable: exactRequests, canary: 0 });
    });

    it('rejects weights that are not whole percentages from 0 to 100 with a usage error, changing nothing', async () => {
      await router().setWeight(30);
      for (const canary of [-1, 101, 12.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expectRejectedAsUsage(Promise.resolve().then(() => router().setWeight(canary)));
      }
      const state = await router().verifyWeight();
      expect({ canary: state.canary, stable: state.stable }).toEqual({ canary: 30, stable: 70 });
      await router().setWeight(0);
      await expectRejectedAsUsage(Promise.resolve().then(() => router().setWeight(-1)));
      expect(await tally(send, exactRequests)).toEqual({ stable: exactRequests, canary: 0 });
    });
  });
}
