import { describe, expect, it } from 'vitest';
import { statisticalJudgeSettingsSchema } from '../../../../config/sections/judges.js';
import type { MeasurementResult } from '../../types.js';
import { contractMetric, contractSamples, contractWindow, failedToMeasure, measured, runJudgeContract } from '../judge.contract.js';
import { createStatisticalJudge } from './index.js';

const settings = (raw: object) => statisticalJudgeSettingsSchema.parse({ kind: 'statistical', ...raw });

runJudgeContract({ name: 'statistical', create: () => createStatisticalJudge(settings({ metrics: [{ metric: contractMetric, direction: 'increase' }] })) });

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
