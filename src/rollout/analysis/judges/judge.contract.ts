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
 * is not, and with at most 20 samples required per variant. Test-only: it imports vitest.
 */
export const contractMetric = 'latency_ms';

export interface JudgeContractTarget {
  name: string;
  create(): Judge;
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
