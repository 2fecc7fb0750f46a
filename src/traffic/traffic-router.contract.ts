import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UfError } from '../core/errors.js';
import type { HeaderRoute, TrafficRouter, WeightState } from './types.js';

/**
 * The shared contract every TrafficRouter passes (as Hono runs every router through `runTest`):
 * a router is done when this suite is green against a real data plane.
 *
 *   runTrafficRouterContract({ name: 'haproxy', skip, setup: async () => ({ router, send, teardown }) });
 *
 * Test-only: it imports vitest. Cases run in order against one data plane; each starts from `reset()`.
 */

export type Upstream = 'stable' | 'canary' | 'baseline';

export interface TrafficRouterHarness {
  /** The router under test, with a baseline upstream configured (three upstreams behind it). */
  router: TrafficRouter;
  /**
   * A router of the same kind without a baseline upstream. It may drive the same data plane: the
   * suite only checks that it refuses a baseline weight before touching anything.
   */
  withoutBaseline: TrafficRouter;
  /**
   * Makes one real HTTP request through the data plane and reports which upstream answered (the
   * upstreams answer with `x-version: stable|canary|baseline`). Rejects on anything but a clean answer.
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
 *
 * The baseline split: 2,000 requests at canary 5 %, baseline 5 %, stable 90 %. Each 5 % arm is
 * binomial with sd = √(2000·0.05·0.95) ≈ 9.7 requests ≈ 0.49 pp, so ±2 pp is 4.1 sd per arm (both
 * arms: about 8 failures in 100,000 runs of a correct router); an arm that gets nothing, or the
 * other arm's share added to it, is off by 5 pp and fails.
 */
export const contractFigures = {
  splitRequests: 2000,
  splitWeight: 25,
  splitTolerancePp: 4,
  baselineSplit: { canary: 5, baseline: 5 },
  baselineTolerancePp: 2,
  /** Requests per all-or-nothing check (weight 0 or 100, routes): a single stray one fails. */
  exactRequests: 200,
  concurrency: 16,
} as const;

const headerRoute: HeaderRoute = { kind: 'header', name: 'x-uf-canary', value: 'always' };
const cookieRoute: HeaderRoute = { kind: 'cookie', name: 'uf_canary', value: 'always' };

type Send = TrafficRouterHarness['send'];

/** Sends `count` requests, `concurrency` at a time, and counts who answered. */
async function tally(send: Send, count: number, headers?: Record<string, string>): Promise<Record<Upstream, number>> {
  const counts: Record<Upstream, number> = { stable: 0, canary: 0, baseline: 0 };
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

/** Every one of `count` requests answered by `upstream`. */
const all = (upstream: Upstream, count: number): Record<Upstream, number> => ({ stable: 0, canary: 0, baseline: 0, [upstream]: count });

const weightsOf = (state: WeightState) => ({ canary: state.canary, baseline: state.baseline, stable: state.stable });

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
      expect(await tally(send, exactRequests)).toEqual(all('stable', exactRequests));
    });

    it('sends every request to the canary at weight 100', async () => {
      await router().setWeight(100);
      expect(await tally(send, exactRequests)).toEqual(all('canary', exactRequests));
    });

    it(`splits ${contractFigures.splitRequests} requests ${contractFigures.splitWeight}% to the canary, within ±${contractFigures.splitTolerancePp} pp`, async () => {
      const { splitRequests, splitWeight, splitTolerancePp } = contractFigures;
      await router().setWeight(splitWeight);
      const counts = await tally(send, splitRequests);
      const share = (100 * counts.canary) / splitRequests;
      expect(counts).toMatchObject({ baseline: 0 });
      expect(counts.stable + counts.canary).toBe(splitRequests);
      expect(Math.abs(share - splitWeight), `canary share ${share.toFixed(2)}%`).toBeLessThanOrEqual(splitTolerancePp);
    });

    it('reports the weights it set, read back from the data plane', async () => {
      for (const canary of [0, 1, 5, 25, 50, 99, 100, 25]) {
        await router().setWeight(canary);
        const state = await router().verifyWeight();
        expect(weightsOf(state)).toEqual({ canary, baseline: 0, stable: 100 - canary });
        expect(state.headerRoute).toBeUndefined();
      }
    });

    it('sends requests with the route header to the canary at weight 0, and stops when the route is removed', async () => {
      await router().setHeaderRoute(headerRoute);
      expect(await tally(send, exactRequests, { 'x-uf-canary': 'always' })).toEqual(all('canary', exactRequests));
      // Header names are case-insensitive; values are not, and must match whole.
      expect(await tally(send, 20, { 'X-UF-Canary': 'always' })).toEqual(all('canary', 20));
      const misses: Record<string, string>[] = [{}, { 'x-uf-canary': 'never' }, { 'x-uf-canary': 'Always' }, { 'x-uf-canary': 'alwaysx' }, { 'x-other': 'always' }];
      for (const headers of misses) {
        expect(await tally(send, 20, headers), JSON.stringify(headers)).toEqual(all('stable', 20));
      }
      const state = await router().verifyWeight();
      expect(state.canary).toBe(0);
      if (state.headerRoute !== undefined) expect(state.headerRoute).toEqual(headerRoute);

      await router().setHeaderRoute(undefined);
      expect(await tally(send, exactRequests, { 'x-uf-canary': 'always' })).toEqual(all('stable', exactRequests));
      expect((await router().verifyWeight()).headerRoute).toBeUndefined();
    });

    it('sends requests with the route cookie to the canary at weight 0, and stops when the route is removed', async () => {
      await router().setHeaderRoute(cookieRoute);
      for (const cookie of ['uf_canary=always', 'theme=dark; uf_canary=always', 'uf_canary=always; theme=dark']) {
        expect(await tally(send, 40, { cookie }), cookie).toEqual(all('canary', 40));
      }
      for (const cookie of ['uf_canary=never', 'xuf_canary=always', 'uf_canary=alwaysx', 'theme=uf_canary=always']) {
        expect(await tally(send, 20, { cookie }), cookie).toEqual(all('stable', 20));
      }
      expect(await tally(send, 20, { 'uf_canary': 'always' }), 'a header is not a cookie').toEqual(all('stable', 20));
      const state = await router().verifyWeight();
      if (state.headerRoute !== undefined) expect(state.headerRoute).toEqual(cookieRoute);

      await router().setHeaderRoute(undefined);
      expect(await tally(send, exactRequests, { cookie: 'uf_canary=always' })).toEqual(all('stable', exactRequests));
    });

    it('keeps the route while the weight changes, and replaces it with the next route', async () => {
      await router().setHeaderRoute(headerRoute);
      await router().setWeight(25);
      expect(await tally(send, 100, { 'x-uf-canary': 'always' })).toEqual(all('canary', 100));
      const state = await router().verifyWeight();
      expect({ canary: state.canary, stable: state.stable }).toEqual({ canary: 25, stable: 75 });

      await router().setWeight(0);
      await router().setHeaderRoute(cookieRoute);
      expect(await tally(send, 40, { 'x-uf-canary': 'always' }), 'the old header route is gone').toEqual(all('stable', 40));
      expect(await tally(send, 40, { cookie: 'uf_canary=always' })).toEqual(all('canary', 40));
    });

    it('reset sends everything back to stable and removes the route', async () => {
      await router().setWeights({ canary: 40, baseline: 40 });
      await router().setHeaderRoute(headerRoute);
      await router().reset();
      const state = await router().verifyWeight();
      expect(state).toEqual({ canary: 0, stable: 100, baseline: 0 });
      expect(await tally(send, exactRequests, { 'x-uf-canary': 'always' })).toEqual(all('stable', exactRequests));
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
      expect(await tally(send, exactRequests)).toEqual(all('stable', exactRequests));
    });
    it(`splits ${contractFigures.splitRequests} requests ${contractFigures.baselineSplit.canary}/${contractFigures.baselineSplit.baseline}/${100 - contractFigures.baselineSplit.canary - contractFigures.baselineSplit.baseline} between canary, baseline and stable, within ±${contractFigures.baselineTolerancePp} pp each`, async () => {
      const { splitRequests, baselineSplit, baselineTolerancePp } = contractFigures;
      expect(router().baselineConfigured).toBe(true);
      await router().setWeights(baselineSplit);
      expect(weightsOf(await router().verifyWeight())).toEqual({ ...baselineSplit, stable: 100 - baselineSplit.canary - baselineSplit.baseline });
      const counts = await tally(send, splitRequests);
      expect(counts.stable + counts.canary + counts.baseline).toBe(splitRequests);
      for (const arm of ['canary', 'baseline'] as const) {
        const share = (100 * counts[arm]) / splitRequests;
        expect(Math.abs(share - baselineSplit[arm]), `${arm} share ${share.toFixed(2)}%`).toBeLessThanOrEqual(baselineTolerancePp);
      }
    });

    it('sends every request to the baseline at baseline 100, and reads back every combination it set', async () => {
      await router().setWeights({ canary: 0, baseline: 100 });
      expect(await tally(send, exactRequests)).toEqual(all('baseline', exactRequests));
      for (const [canary, baseline] of [[5, 5], [25, 25], [50, 50], [1, 99], [10, 0], [0, 30], [100, 0]] as const) {
        await router().setWeights({ canary, baseline });
        expect(weightsOf(await router().verifyWeight())).toEqual({ canary, baseline, stable: 100 - canary - baseline });
      }
    });

    it('setWeight(canary) is the canary-only form: it takes the baseline back to 0, and keeps the route', async () => {
      await router().setHeaderRoute(headerRoute);
      await router().setWeights({ canary: 5, baseline: 5 });
      await router().setWeight(10);
      const state = await router().verifyWeight();
      expect(weightsOf(state)).toEqual({ canary: 10, baseline: 0, stable: 90 });
      expect(await tally(send, 40, { 'x-uf-canary': 'always' })).toEqual(all('canary', 40));
      await router().setWeights({ canary: 0 });
      expect(await tally(send, exactRequests)).toEqual(all('stable', exactRequests));
    });

    it('refuses a non-zero baseline on a router without a baseline upstream, with a usage error, changing nothing', async () => {
      const bare = harness!.withoutBaseline;
      expect(bare.baselineConfigured).toBe(false);
      await router().setWeights({ canary: 20, baseline: 10 });
      await expectRejectedAsUsage(Promise.resolve().then(() => bare.setWeights({ canary: 5, baseline: 5 })));
      await expectRejectedAsUsage(Promise.resolve().then(() => bare.setWeights({ canary: 0, baseline: 1 })));
      expect(weightsOf(await router().verifyWeight())).toEqual({ canary: 20, baseline: 10, stable: 70 });
    });

    it('refuses bad canary and baseline combinations with a usage error, changing nothing', async () => {
      await router().setWeights({ canary: 10, baseline: 10 });
      const bad = [
        { canary: 60, baseline: 50 },
        { canary: 100, baseline: 1 },
        { canary: 5, baseline: -1 },
        { canary: 5, baseline: 2.5 },
        { canary: 5, baseline: Number.NaN },
        { canary: 5, baseline: 101 },
        { canary: -1, baseline: 5 },
        { canary: 7.5, baseline: 5 },
      ];
      for (const weights of bad) {
        await expectRejectedAsUsage(Promise.resolve().then(() => router().setWeights(weights)));
      }
      expect(weightsOf(await router().verifyWeight())).toEqual({ canary: 10, baseline: 10, stable: 80 });
      await router().setWeights({ canary: 0, baseline: 0 });
      await expectRejectedAsUsage(Promise.resolve().then(() => router().setWeights({ canary: 50, baseline: 51 })));
      expect(await tally(send, exactRequests)).toEqual(all('stable', exactRequests));
    });
  });
}
