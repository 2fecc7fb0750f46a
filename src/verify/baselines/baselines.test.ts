import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statisticalJudgeSettingsSchema } from '../../config/sections/judges.js';
import { metricSourceSchema } from '../../config/sections/metrics.js';
import type { ResolvedVerification } from '../../config/sections/rollout-verification.js';
import { fixedClock } from '../../core/clock.js';
import { createJudge } from '../../rollout/analysis/judges/registry.js';
import type { MeasurementResult, Variant } from '../../rollout/analysis/types.js';
import { beforeAfterCheck, startRollout, type Action, type RolloutState } from '../../rollout/engine/index.js';
import type { Store } from '../../store/open.js';
import { minute, policy } from '../../../test/helpers/rollout.js';
import { postgresSkipReason, storeTargets } from '../../../test/helpers/stores.js';
import { baselineCapturer, beforeAfterJudge } from './run.js';
import { baselineComparison } from './comparison.js';
import type { BaselineDeps } from './types.js';

const t0 = '2026-12-01T09:00:00.000Z';
const prometheus = metricSourceSchema.parse({ kind: 'prometheus', url: 'http://127.0.0.1:9090', query: 'histogram_quantile(0.95, rate(latency_bucket{variant="{{variant}}"}[{{window}}]))', mode: 'range' });
const builtin = metricSourceSchema.parse({ kind: 'builtin', adminUrl: 'http://127.0.0.1:9901', stat: 'requests' });

function verification(): ResolvedVerification {
  return {
    windowMs: 30 * minute,
    intervalMs: 5 * minute,
    baselineWindowMs: 30 * minute,
    onRegression: 'alert',
    checks: [],
    baseline: {
      metrics: [
        { name: 'p95_latency', source: prometheus },
        { name: 'throughput', source: builtin },
      ],
      judge: statisticalJudgeSettingsSchema.parse({ kind: 'statistical', metrics: [{ metric: 'p95_latency', direction: 'increase' }, { metric: 'throughput', direction: 'decrease' }] }),
    },
  };
}

/** Per-step p95 samples around `level` ms (one a step of 10 s), as a Prometheus range query gives them. */
function latencies(level: number, n = 60): number[] {
  return Array.from({ length: n }, (_, i) => level + ((i * 7) % 13));
}

for (const target of storeTargets) {
  describe.skipIf(target.skip)(`before/after baselines (${target.dialect})${target.skip ? `: ${postgresSkipReason}` : ''}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let clock: ReturnType<typeof fixedClock>;
    let afterLevel: number;
    let queries: { variant: Variant; metric: string; start: string; end: string }[];
    let state: RolloutState;
    let capture: Extract<Action, { kind: 'capture-baseline' }>;

    beforeEach(async () => {
      clock = fixedClock(t0);
      ({ store, cleanup } = await target.open({ clock }));
      afterLevel = 100;
      queries = [];
      const started = startRollout({ rolloutId: 'ro_b', upgradeId: 'upg_b', initiator: 'alice', baseline: false, policy: { ...policy('standard'), verification: verification() } }, clock.now());
      state = started.state;
      capture = started.actions.find((a): a is typeof capture => a.kind === 'capture-baseline')!;
    });

    afterEach(async () => {
      await cleanup();
    });

    function deps(): BaselineDeps {
      return {
        db: store.db,
        clock,
        judges: createJudge,
        measure: (query) => {
          queries.push({ variant: query.variant, metric: query.metric, start: query.window.start, end: query.window.end });
          const seconds = (Date.parse(query.window.end) - Date.parse(query.window.start)) / 1000;
          const samples = query.metric === 'throughput' ? [120 * seconds] : latencies(query.variant === 'stable' ? 100 : afterLevel);
          const result: MeasurementResult = { ok: true, measurement: { metric: query.metric, variant: query.variant, window: query.window, samples, count: samples.length * 100, source: { provider: query.settings.kind } } };
          return Promise.resolve(result);
        },
      };
    }

    /** The verification window's rounds at 5, 10 and 15 minutes past 100% (reached at t0 + 40m). */
    async function verifyRounds(rounds: number) {
      const since = '2026-12-01T09:40:00.000Z';
      let verdict;
      clock.advance(Date.parse(since) - clock.now().getTime());
      for (let round = 1; round <= rounds; round++) {
        clock.advance(5 * minute);
        const window = { start: new Date(Date.parse(since) + (round - 1) * 5 * minute).toISOString(), end: clock.now().toISOString() };
        const action = { id: `ro_b/a1/s3/run-verification/${round}`, kind: 'run-verification', check: beforeAfterCheck, round, since, window, final: round === rounds } as const;
        verdict = await beforeAfterJudge(deps())(action, state);
        state.verification!.results.push({ round, check: beforeAfterCheck, actionId: action.id, at: window.end, window, verdict });
      }
      return verdict!;
    }

    it('flags a doubled p95 against the before-window, and stores both sides for the readout', async () => {
      expect(await baselineCapturer(deps())(capture, state)).toEqual({ captured: ['p95_latency', 'throughput'], errors: [] });
      // The before-window: 30 minutes before the start from Prometheus; the built-in router only its last minute.
      expect(queries.find((q) => q.metric === 'p95_latency')).toMatchObject({ variant: 'stable', start: '2026-12-01T08:30:00.000Z', end: t0 });
      expect(queries.find((q) => q.metric === 'throughput')).toMatchObject({ variant: 'stable', start: '2026-12-01T08:59:00.000Z', end: t0 });
      afterLevel = 200;
      const verdict = await verifyRounds(1);
      expect(verdict.outcome).toBe('fail');
      const p95 = verdict.evidence.find((e) => e.metric === 'p95_latency')!;
      expect(p95.statistics.classification).toBe('high');
      const comparison = await baselineComparison(store.db, 'upg_b');
      expect(comparison.rolloutId).toBe('ro_b');
      const latency = comparison.metrics.find((m) => m.metric === 'p95_latency')!;
      expect(latency).toMatchObject({ classification: 'high', outcome: 'fail' });
      expect(latency.before).toMatchObject({ samples: 60, median: 106, mean: expect.closeTo(106, 0) });
      expect(latency.after.median).toBe(206);
      expect(latency.after.p95).toBeGreaterThan(latency.before.p95!);
      // The router's request count is a rate: 7200 requests in the minute before are 120 a second.
      const throughput = comparison.metrics.find((m) => m.metric === 'throughput')!;
      expect(throughput.before.median).toBe(120);
    });

    it('passes when nothing changed, over several slices of the window', async () => {
      await baselineCapturer(deps())(capture, state);
      const verdict = await verifyRounds(3);
      expect(verdict.outcome).toBe('pass');
      const latency = verdict.evidence.find((e) => e.metric === 'p95_latency')!;
      expect(latency.outcome).toBe('pass');
      expect(latency.values.canary?.count).toBe(180);
      const comparison = await baselineComparison(store.db, 'upg_b');
      expect(comparison.metrics.find((m) => m.metric === 'p95_latency')).toMatchObject({ classification: 'pass', outcome: 'pass' });
    });

    it('never passes without a before-window: the comparison has no data', async () => {
      const verdict = await verifyRounds(1);
      expect(verdict.outcome).toBe('inconclusive');
      expect((await baselineComparison(store.db, 'upg_b')).metrics[0]!.before.samples).toBe(0);
    });

    it('measures a slice once, however often it is re-run after a crash', async () => {
      await baselineCapturer(deps())(capture, state);
      await baselineCapturer(deps())(capture, state);
      expect(queries.filter((q) => q.variant === 'stable')).toHaveLength(2);
    });
  });
}
