import { describe, expect, it } from 'vitest';
import { thresholdJudgeSettingsSchema } from '../../../../config/sections/judges.js';
import type { MeasurementResult, Verdict } from '../../types.js';
import { contractMetric, contractWindow, failedToMeasure, measured, runJudgeContract } from '../judge.contract.js';
import { createThresholdJudge } from './index.js';

const settings = (raw: object) => thresholdJudgeSettingsSchema.parse({ kind: 'threshold', ...raw });

const contractChecks = [{ metric: contractMetric, aggregate: 'mean', maxRatio: 1.2 }];
runJudgeContract({
  name: 'threshold',
  create: () => createThresholdJudge(settings({ checks: contractChecks, minSamples: 20 })),
  createWithFailureLimit: (failureLimit) => createThresholdJudge(settings({ checks: contractChecks, minSamples: 20, failureLimit })),
});

const value = (metric: string, variant: 'canary' | 'stable' | 'baseline', v: number, count = 100): MeasurementResult => ({
  ok: true,
  measurement: { metric, variant, window: contractWindow, samples: [], value: v, count, source: { provider: 'test' } },
});
const judge = (raw: object, results: MeasurementResult[], history: Verdict[] = []) => createThresholdJudge(settings(raw)).judge({ window: contractWindow, results, history });

describe('threshold judge: absolute SLOs', () => {
  const slo = { checks: [{ metric: 'p95_latency', max: 250 }, { metric: 'error_rate', max: 0.01 }] };

  it('bounds are inclusive: 250 passes, 250.1 fails', () => {
    expect(judge(slo, [value('p95_latency', 'canary', 250), value('error_rate', 'canary', 0.01)]).outcome).toBe('pass');
    const breach = judge(slo, [value('p95_latency', 'canary', 250.1), value('error_rate', 'canary', 0.001)]);
    expect(breach.outcome).toBe('fail');
    expect(breach.evidence[0]).toMatchObject({ metric: 'p95_latency', outcome: 'fail', threshold: 'p95_latency <= 250, at least 1 sample per variant', values: { canary: { count: 100, value: 250.1 } } });
    expect(breach.evidence[0]?.reason).toBe('canary 250.1 > max 250');
  });

  it('a minimum holds KPIs up (conversion >= 0.02)', () => {
    const kpi = { checks: [{ metric: 'conversion', min: 0.02 }] };
    expect(judge(kpi, [value('conversion', 'canary', 0.019)]).outcome).toBe('fail');
  });

  it('computes a statistic of the samples when asked', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    const p95 = { checks: [{ metric: contractMetric, aggregate: 'p95', max: 95 }] };
    const verdict = judge(p95, [measured('canary', samples)]);
    expect(verdict.evidence[0]?.values.canary?.value).toBeCloseTo(95.05, 10); // R's quantile(1:100, 0.95)
    expect(verdict.outcome).toBe('fail');
  });
});

describe('threshold judge: limits relative to the baseline', () => {
  const relative = { checks: [{ metric: 'p95_latency', maxRatio: 1.2 }] };

  it('canary <= baseline * 1.2, the baseline variant taking precedence over stable', () => {
    expect(judge(relative, [value('p95_latency', 'canary', 120), value('p95_latency', 'stable', 100)]).outcome).toBe('pass');
    expect(judge(relative, [value('p95_latency', 'canary', 121), value('p95_latency', 'stable', 100)]).outcome).toBe('fail');
    const withBaseline = judge(relative, [value('p95_latency', 'canary', 121), value('p95_latency', 'baseline', 110), value('p95_latency', 'stable', 100)]);
    expect(withBaseline.outcome).toBe('pass');
    expect(withBaseline.evidence[0]?.statistics.comparedWith).toBe('baseline');
    expect(withBaseline.evidence[0]?.values).toEqual({ canary: { count: 100, value: 121 }, baseline: { count: 100, value: 110 } });
  });

  it('at 100% (no reference has traffic) applies absolute limits only, and a ratio-only check has no data', () => {
    const atFull = (raw: object, results: MeasurementResult[]) => createThresholdJudge(settings(raw)).judge({ window: contractWindow, results, history: [], withoutReference: true });
    const both = atFull({ checks: [{ metric: 'p95', max: 250, maxRatio: 1.2 }] }, [value('p95', 'canary', 200)]);
    expect(both.outcome).toBe('pass');
    expect(both.evidence[0]).toMatchObject({ outcome: 'pass', values: { canary: { value: 200 } }, threshold: 'p95 <= 250, at least 1 sample per variant (ratio limits not applied: no reference has traffic at 100%)' });
    expect(atFull({ checks: [{ metric: 'p95', max: 250, maxRatio: 1.2 }] }, [value('p95', 'canary', 300)]).outcome).toBe('fail');
    const ratioOnly = atFull({ checks: [{ metric: 'conversion', minRatio: 0.9 }] }, [value('conversion', 'canary', 0.2)]);
    expect(ratioOnly.outcome).toBe('inconclusive');
    expect(ratioOnly.evidence[0]!.reason).toBe('only ratio limits, and no reference has traffic at 100%');
  });

  it('minimum samples per variant: below it is nodata and inconclusive, never a pass', () => {
    const raw = { ...relative, minSamples: 50 };
    const few = judge(raw, [value('p95_latency', 'canary', 100, 49), value('p95_latency', 'stable', 100, 1000)]);
    expect(few.outcome).toBe('inconclusive');
    expect(few.evidence[0]?.outcome).toBe('nodata');
    expect(few.evidence[0]?.reason).toContain('canary has 49 of 50 samples');
    expect(judge(raw, [value('p95_latency', 'canary', 100, 50), value('p95_latency', 'stable', 100, 50)]).outcome).toBe('pass');
    const fewReference = judge(raw, [value('p95_latency', 'canary', 100, 500), value('p95_latency', 'stable', 100, 3)]);
    expect(fewReference.outcome).toBe('inconclusive');
  });

  it('a provider error is an error and makes the verdict inconclusive', () => {
    const verdict = judge(relative, [value('p95_latency', 'canary', 100), failedToMeasure('stable', 'p95_latency')]);
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.evidence[0]?.outcome).toBe('error');
  });

  it('a failure elsewhere still fails when another metric has no data', () => {
    const raw = { checks: [{ metric: 'p95_latency', max: 250 }, { metric: 'error_rate', max: 0.01 }] };
    expect(judge(raw, [value('p95_latency', 'canary', 900)]).outcome).toBe('fail');
  });
});

describe('threshold judge: failureLimit', () => {
  const raw = { checks: [{ metric: 'p95_latency', max: 250 }], failureLimit: 3 };
  const bad = [value('p95_latency', 'canary', 400)];
  const good = [value('p95_latency', 'canary', 200)];

  /** Runs measurements in order, each judged with the verdicts before it as history. */
  const sequence = (steps: MeasurementResult[][]): Verdict[] => {
    const history: Verdict[] = [];
    for (const results of steps) history.push(judge(raw, results, [...history]));
    return history;
  };

  it('failureLimit: 3 tolerates three failed measurements and fails on the fourth', () => {
    const verdicts = sequence([bad, bad, bad, bad]);
    expect(verdicts.map((verdict) => verdict.outcome)).toEqual(['pass', 'pass', 'pass', 'fail']);
    expect(verdicts[2]?.reason).toContain('failed measurement 3 of 3 tolerated');
    expect(verdicts[2]?.evidence[0]).toMatchObject({ outcome: 'fail', statistics: { failedMeasurements: 3, failureLimit: 3 } });
    expect(verdicts[3]?.reason).toContain('failed measurement 4, beyond the failure limit of 3');
  });

  it('counts failures across the analysis, not only consecutive ones', () => {
    expect(sequence([bad, good, bad, good, bad, good, bad]).map((verdict) => verdict.outcome)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'fail']);
  });

  it('failureLimit 0 (the default) fails the first failed measurement', () => {
    expect(judge({ checks: raw.checks }, bad).outcome).toBe('fail');
  });
});

