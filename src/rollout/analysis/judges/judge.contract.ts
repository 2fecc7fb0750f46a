import { describe, expect, it } from 'vitest';
import type { Measurement, MeasurementResult, MetricWindow, Variant } from '../types.js';
import type { Judge, JudgeInput } from './types.js';

/**
 * The shared contract every Judge passes (as Hono runs every router through `runTest`):
 *
 *   runJudgeContract({ name: 'threshold', create: () => createThresholdJudge(settings) });
 *
 * The judge under test must be configured for one metric, `contractMetric` (a latency: higher is
 * worse), at a sensitivity where doubling the latency is a regression and the same distribution
 * is not, and with at most 20 samples required per variant; `createWithFailureLimit(n)` builds it
 * with `failureLimit: n`: n failed measurements in the analysis are tolerated (they pass, their
 * failure recorded in the evidence as `failedMeasurements`), the (n+1)th fails, the count read from
 * `history`. Test-only: it imports vitest.
 */
export const contractMetric = 'latency_ms';

export interface JudgeContractTarget {
  name: string;
  create(): Judge;
  /** The same judge tolerating `failureLimit` failed measurements (Argo's failureLimit). */
  createWithFailureLimit(failureLimit: number): Judge;
}

export const contractWindow: MetricWindow = { start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T00:05:00.000Z' };

/** 200 latencies around 100 ms, spread deterministically between 90 and 110. */
export const contractSamples: readonly number[] = Array.from({ length: 200 }, (_, i) => 90 + ((i * 37) % 21));

export function measured(variant: Variant, samples: readonly number[], metric = contractMetric): MeasurementResult {
  const measurement: Measurement = { metric, variant, window: contractWindow, samples: [...samples], source: { provider: 'contract' } };
  return { ok: true, measurement };
}

export function failedToMeasure(variant: Variant, metric = contractMetric): MeasurementResult {
  return { ok: false, error: { metric, variant, window: contractWindow, reason: 'Prometheus at http://prometheus:9090 answered 503', source: { provider: 'prometheus', query: 'histogram_quantile(0.95, …)' } } };
}

const input = (results: MeasurementResult[]): JudgeInput => ({ window: contractWindow, results, history: [] });

export function runJudgeContract(target: JudgeContractTarget): void {
  describe(`Judge contract: ${target.name}`, () => {
    const regressed = contractSamples.map((value) => value * 2);

    it('is deterministic: the same input gives the same verdict', () => {
      const sample = input([measured('canary', regressed), measured('stable', contractSamples)]);
      expect(target.create().judge(sample)).toEqual(target.create().judge(sample));
    });

    it('passes identical distributions', () => {
      const verdict = target.create().judge(input([measured('canary', contractSamples), measured('stable', contractSamples)]));
      expect(verdict.outcome).toBe('pass');
      expect(verdict.judge).toBe(target.name);
    });

    it('fails a clear regression, naming the metric', () => {
      const verdict = target.create().judge(input([measured('canary', regressed), measured('stable', contractSamples)]));
      expect(verdict.outcome).toBe('fail');
      expect(verdict.evidence.find((metric) => metric.metric === contractMetric)?.outcome).toBe('fail');
      expect(verdict.reason).toContain(contractMetric);
    });

    it('judges no data as inconclusive, never a pass', () => {
      expect(target.create().judge(input([])).outcome).toBe('inconclusive');
      const empty = target.create().judge(input([measured('canary', []), measured('stable', [])]));
      expect(empty.outcome).toBe('inconclusive');
      expect(empty.evidence[0]?.outcome).toBe('nodata');
    });

    it('judges too few canary samples as inconclusive', () => {
      const verdict = target.create().judge(input([measured('canary', []), measured('stable', contractSamples)]));
      expect(verdict.outcome).toBe('inconclusive');
    });

    it('records a provider error as an error, never a pass', () => {
      const verdict = target.create().judge(input([failedToMeasure('canary'), measured('stable', contractSamples)]));
      expect(verdict.outcome).not.toBe('pass');
      const metric = verdict.evidence.find((entry) => entry.metric === contractMetric);
      expect(metric?.outcome).toBe('error');
      expect(metric?.reason).toContain('503');
    });

    it('compares with the baseline variant when it was measured, not with stable', () => {
      const verdict = target.create().judge(input([measured('canary', regressed), measured('baseline', regressed), measured('stable', contractSamples)]));
      expect(verdict.outcome).toBe('pass');
      const failedBaseline = target.create().judge(input([measured('canary', contractSamples), failedToMeasure('baseline'), measured('stable', contractSamples)]));
      expect(failedBaseline.outcome).not.toBe('pass');
    });

    it('failureLimit 1 tolerates one failed measurement, recorded in the evidence, and fails the second', () => {
      const judge = target.createWithFailureLimit(1);
      const bad = [measured('canary', regressed), measured('stable', contractSamples)];
      const first = judge.judge(input(bad));
      expect(first.outcome).toBe('pass');
      expect(first.reason).toContain('tolerated');
      const evidence = first.evidence.find((entry) => entry.metric === contractMetric);
      expect(evidence?.outcome).toBe('fail');
      expect(evidence?.statistics).toMatchObject({ failedMeasurements: 1, failureLimit: 1 });
      const second = judge.judge({ window: contractWindow, results: bad, history: [first] });
      expect(second.outcome).toBe('fail');
      expect(second.reason).toContain('failure limit of 1');
      expect(second.evidence.find((entry) => entry.metric === contractMetric)?.statistics).toMatchObject({ failedMeasurements: 2, failureLimit: 1 });
    });

    it('failureLimit counts failed measurements across the analysis, not passes or other judges', () => {
      const judge = target.createWithFailureLimit(1);
      const bad = [measured('canary', regressed), measured('stable', contractSamples)];
      const good = [measured('canary', contractSamples), measured('stable', contractSamples)];
      const failed = judge.judge(input(bad));
      const passed = judge.judge({ window: contractWindow, results: good, history: [failed] });
      expect(passed.outcome).toBe('pass');
      expect(passed.evidence.find((entry) => entry.metric === contractMetric)?.statistics).toMatchObject({ failedMeasurements: 1 });
      expect(judge.judge({ window: contractWindow, results: bad, history: [passed, passed] }).outcome).toBe('pass');
      expect(judge.judge({ window: contractWindow, results: bad, history: [{ ...failed, judge: `not-${target.name}` }] }).outcome).toBe('pass');
      expect(judge.judge({ window: contractWindow, results: bad, history: [failed, passed] }).outcome).toBe('fail');
    });

    it('failureLimit never turns missing data into a pass', () => {
      const judge = target.createWithFailureLimit(1);
      const failed = judge.judge(input([measured('canary', regressed), measured('stable', contractSamples)]));
      expect(judge.judge({ window: contractWindow, results: [], history: [failed] }).outcome).toBe('inconclusive');
    });

    it('gives evidence for every metric: window, values per variant, threshold, statistics, reason', () => {
      for (const results of [[measured('canary', regressed), measured('stable', contractSamples)], [measured('canary', contractSamples), measured('stable', contractSamples)], [], [failedToMeasure('canary')]]) {
        const verdict = target.create().judge(input(results));
        expect(verdict.reason.length).toBeGreaterThan(0);
        const metric = verdict.evidence.find((entry) => entry.metric === contractMetric);
        expect(metric).toBeDefined();
        expect(metric!.window).toEqual(contractWindow);
        expect(metric!.threshold.length).toBeGreaterThan(0);
        expect(metric!.reason.length).toBeGreaterThan(0);
        expect(typeof metric!.statistics).toBe('object');
        if (results.length === 2) {
          expect(metric!.values.canary?.count).toBe(200);
          expect(metric!.values.stable?.count).toBe(200);
          expect(metric!.values.canary?.value).toBeTypeOf('number');
        }
      }
    });
  });
}
