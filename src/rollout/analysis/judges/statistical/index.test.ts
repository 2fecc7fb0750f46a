import { describe, expect, it } from 'vitest';
import { statisticalJudgeSettingsSchema } from '../../../../config/sections/judges.js';
import type { MeasurementResult, Verdict } from '../../types.js';
import { contractMetric, contractSamples, contractWindow, failedToMeasure, measured, runJudgeContract } from '../judge.contract.js';
import { createStatisticalJudge } from './index.js';

const settings = (raw: object) => statisticalJudgeSettingsSchema.parse({ kind: 'statistical', ...raw });

const contractMetrics = [{ metric: contractMetric, direction: 'increase' }];
runJudgeContract({
  name: 'statistical',
  create: () => createStatisticalJudge(settings({ metrics: contractMetrics })),
  createWithFailureLimit: (failureLimit) => createStatisticalJudge(settings({ metrics: contractMetrics, failureLimit })),
});

const low = contractSamples;
const high = contractSamples.map((value) => value * 2);
const judgeOf = (raw: object) => createStatisticalJudge(settings(raw));
const run = (raw: object, results: MeasurementResult[]) => judgeOf(raw).judge({ window: contractWindow, results, history: [] });

describe('statistical judge scoring (Kayenta)', () => {
  const three = { metrics: [{ metric: 'a' }, { metric: 'b' }, { metric: 'c' }] };

  it('scores the share of passing metrics: 2 of 3 is 66.67, below marginal 75: fail', () => {
    const verdict = run(three, [measured('canary', low, 'a'), measured('stable', low, 'a'), measured('canary', low, 'b'), measured('stable', low, 'b'), measured('canary', high, 'c'), measured('stable', low, 'c')]);
    expect(verdict.score).toBe(66.67);
    expect(verdict.outcome).toBe('fail');
  });

  it('a marginal score is inconclusive (asks a human)', () => {
    const verdict = run({ ...three, scoreThresholds: { pass: 90, marginal: 60 } }, [measured('canary', low, 'a'), measured('stable', low, 'a'), measured('canary', low, 'b'), measured('stable', low, 'b'), measured('canary', high, 'c'), measured('stable', low, 'c')]);
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.reason).toContain('marginal');
  });

  it('weights groups; unweighted groups share the rest of 100', () => {
    const raw = { metrics: [{ metric: 'a', groups: ['latency'] }, { metric: 'b', groups: ['errors'] }, { metric: 'c', groups: ['business'] }], groupWeights: { latency: 50 } };
    const verdict = run(raw, [measured('canary', high, 'a'), measured('stable', low, 'a'), measured('canary', low, 'b'), measured('stable', low, 'b'), measured('canary', low, 'c'), measured('stable', low, 'c')]);
    expect(verdict.score).toBe(50);
  });

  it('a critical failure scores 0, whatever the other metrics', () => {
    const raw = { metrics: [{ metric: 'a', critical: true }, { metric: 'b' }, { metric: 'c' }] };
    const verdict = run(raw, [measured('canary', high, 'a'), measured('stable', low, 'a'), measured('canary', low, 'b'), measured('stable', low, 'b'), measured('canary', low, 'c'), measured('stable', low, 'c')]);
    expect(verdict.score).toBe(0);
    expect(verdict.outcome).toBe('fail');
    expect(verdict.reason).toContain('critical metric a');
    expect(verdict.evidence[0]?.critical).toBe(true);
  });

  it('half the metrics without data scores 0, and is inconclusive rather than a rollback', () => {
    const raw = { metrics: [{ metric: 'a' }, { metric: 'b' }] };
    const verdict = run(raw, [measured('canary', low, 'a'), measured('stable', low, 'a')]);
    expect(verdict.score).toBe(0);
    expect(verdict.outcome).toBe('inconclusive');
  });

  it('one metric of three without data: the score ignores it but the verdict is not a pass', () => {
    const verdict = run(three, [measured('canary', low, 'a'), measured('stable', low, 'a'), measured('canary', low, 'b'), measured('stable', low, 'b')]);
    expect(verdict.score).toBe(100);
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.reason).toContain('c (no data)');
  });

  it('mustHaveData turns missing data into a failed metric', () => {
    const raw = { metrics: [{ metric: 'a' }, { metric: 'b' }, { metric: 'c', mustHaveData: true }] };
    const verdict = run(raw, [measured('canary', low, 'a'), measured('stable', low, 'a'), measured('canary', low, 'b'), measured('stable', low, 'b')]);
    expect(verdict.score).toBe(66.67);
    expect(verdict.outcome).toBe('fail');
    expect(verdict.evidence[2]?.statistics.classification).toBe('nodata_fail');
  });

  it('a provider error takes no part in the score and makes the verdict inconclusive', () => {
    const verdict = run(three, [measured('canary', low, 'a'), measured('stable', low, 'a'), measured('canary', low, 'b'), measured('stable', low, 'b'), failedToMeasure('canary', 'c')]);
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.evidence[2]?.outcome).toBe('error');
  });

  it('direction decrease ignores an increase and catches a drop (a KPI such as conversion)', () => {
    const kpi = { metrics: [{ metric: 'conversion', direction: 'decrease' }] };
    expect(run(kpi, [measured('canary', high, 'conversion'), measured('stable', low, 'conversion')]).outcome).toBe('pass');
    const dropped = run(kpi, [measured('canary', low, 'conversion'), measured('stable', high, 'conversion')]);
    expect(dropped.outcome).toBe('fail');
    expect(dropped.evidence[0]?.statistics.classification).toBe('low');
  });
});

describe('statistical judge: failureLimit (repeated looks)', () => {
  const one = (failureLimit: number, extra: object = {}) => ({ metrics: [{ metric: 'a', direction: 'increase', ...extra }, { metric: 'b' }], failureLimit });
  const regressed = [measured('canary', high, 'a'), measured('stable', low, 'a'), measured('canary', low, 'b'), measured('stable', low, 'b')];
  const clean = [measured('canary', low, 'a'), measured('stable', low, 'a'), measured('canary', low, 'b'), measured('stable', low, 'b')];

  /** Judges the steps in order, each with the verdicts before it as history. */
  const sequence = (raw: object, steps: MeasurementResult[][]): Verdict[] => {
    const judge = judgeOf(raw);
    const history: Verdict[] = [];
    for (const results of steps) history.push(judge.judge({ window: contractWindow, results, history: [...history] }));
    return history;
  };

  it('failureLimit: 2 tolerates two failed measurements, each recorded in the evidence, and fails the third', () => {
    const verdicts = sequence(one(2), [regressed, clean, regressed, regressed]);
    expect(verdicts.map((verdict) => verdict.outcome)).toEqual(['pass', 'pass', 'pass', 'fail']);
    expect(verdicts[0]?.reason).toMatch(/^failed measurement 1 of 2 tolerated: score 50 /);
    expect(verdicts[0]?.evidence[0]).toMatchObject({ metric: 'a', outcome: 'fail', statistics: { classification: 'high', failedMeasurement: true, failedMeasurements: 1, failureLimit: 2 } });
    expect(verdicts[1]?.evidence[1]?.statistics).toMatchObject({ failedMeasurement: false, failedMeasurements: 1 });
    expect(verdicts[3]?.reason).toMatch(/^failed measurement 3, beyond the failure limit of 2: score 50 /);
  });

  it('failureLimit 0 (the default) fails the first failed measurement, as Kayenta does', () => {
    const verdict = run({ metrics: [{ metric: 'a' }, { metric: 'b' }] }, regressed);
    expect(verdict.outcome).toBe('fail');
    expect(verdict.reason).toMatch(/^score 50 /);
  });

  it('a metric that fails without failing the score is not a failed measurement', () => {
    const many = { metrics: ['a', 'b', 'c', 'd', 'e', 'f'].map((metric) => ({ metric })), scoreThresholds: { pass: 80, marginal: 70 }, failureLimit: 0 };
    const results = ['a', 'b', 'c', 'd', 'e', 'f'].flatMap((metric) => [measured('canary', metric === 'a' ? high : low, metric), measured('stable', low, metric)]);
    const verdicts = sequence(many, [results, results]);
    expect(verdicts.map((verdict) => verdict.outcome)).toEqual(['pass', 'pass']);
    expect(verdicts[1]?.evidence[0]?.statistics).toMatchObject({ classification: 'high', failedMeasurement: false, failedMeasurements: 0 });
  });

  it('a critical metric fails at once, whatever the failure limit', () => {
    const verdict = run(one(3, { critical: true }), regressed);
    expect(verdict.outcome).toBe('fail');
    expect(verdict.reason).toContain('critical metric a');
    expect(verdict.evidence[0]?.statistics).toMatchObject({ failedMeasurements: 1, failureLimit: 3 });
  });

  it('a tolerated failure with a metric missing is inconclusive, and still counts', () => {
    const three = { metrics: [{ metric: 'a' }, { metric: 'b' }, { metric: 'c' }], failureLimit: 1 };
    const partly = [measured('canary', high, 'a'), measured('stable', low, 'a'), measured('canary', high, 'b'), measured('stable', low, 'b'), failedToMeasure('canary', 'c')];
    const verdicts = sequence(three, [partly, partly]);
    expect(verdicts[0]?.outcome).toBe('inconclusive');
    expect(verdicts[0]?.reason).toContain('failed measurement 1 of 1 tolerated');
    expect(verdicts[1]?.outcome).toBe('fail');
  });
});
