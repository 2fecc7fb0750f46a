import { describe, expect, it } from 'vitest';
import type { Classification } from './classifier.js';
import { classifyScore, scoreMetrics, type ScoredMetric } from './scoring.js';

// Kayenta's published scorer cases (kayenta-judge ScorerSuite), same metrics and weights.
const metric = (name: string, classification: Classification, group: string, critical = false): ScoredMetric => ({ metric: name, groups: [group], classification, critical, reason: `${name} ${classification}` });

describe("weighted-sum scorer: Kayenta's published cases", () => {
  it('single metric pass: 100, single metric high: 0', () => {
    expect(scoreMetrics([metric('a', 'pass', 'g')], {}).score).toBe(100);
    expect(scoreMetrics([metric('a', 'high', 'g')], {}).score).toBe(0);
  });

  it('single group without data: group score 0, summary 0', () => {
    const result = scoreMetrics([metric('a', 'nodata', 'nodata-group')], {});
    expect(result.groups).toEqual([{ group: 'nodata-group', score: 0, noData: true }]);
    expect(result.score).toBe(0);
  });

  it('two groups, one pass, one without data: group scores 0 and 100, summary 100', () => {
    const result = scoreMetrics([metric('a', 'pass', 'pass-group'), metric('b', 'pass', 'pass-group'), metric('c', 'nodata', 'nodata-group')], {});
    expect(result.groups.map((group) => group.score).sort((x, y) => x - y)).toEqual([0, 100]);
    expect(result.score).toBe(100);
  });

  it('one group: pass + high is 50, pass + high + low is 33.33', () => {
    expect(scoreMetrics([metric('a', 'pass', 'g'), metric('b', 'high', 'g')], {}).score).toBe(50);
    expect(scoreMetrics([metric('a', 'pass', 'g'), metric('b', 'high', 'g'), metric('c', 'low', 'g')], {}).score).toBe(33.33);
  });

  it('weighted groups: 75/25 gives 75, 50/50 gives 25, 50/50 with a metric without data gives 50, 15/85 gives 5', () => {
    expect(scoreMetrics([metric('a', 'pass', 'group-1'), metric('b', 'pass', 'group-1'), metric('c', 'high', 'group-2')], { 'group-1': 75, 'group-2': 25 }).score).toBe(75);
    expect(scoreMetrics([metric('a', 'pass', 'group-1'), metric('b', 'high', 'group-1'), metric('c', 'high', 'group-2')], { 'group-1': 50, 'group-2': 50 }).score).toBe(25);
    expect(scoreMetrics([metric('a', 'pass', 'group-1'), metric('b', 'nodata', 'group-1'), metric('c', 'high', 'group-2')], { 'group-1': 50, 'group-2': 50 }).score).toBe(50);
    expect(scoreMetrics([metric('a', 'high', 'group1'), metric('b', 'low', 'group1'), metric('c', 'pass', 'group1'), metric('d', 'high', 'group2')], { group1: 15, group2: 85 }).score).toBe(5);
  });

  it('critical metrics: a critical failure scores 0, a critical pass does not, a critical metric without data scores 0', () => {
    expect(scoreMetrics([metric('a', 'pass', 'g'), metric('b', 'high', 'g', true)], {})).toMatchObject({ score: 0, zeroedBy: { rule: 'critical', metric: 'b' } });
    expect(scoreMetrics([metric('a', 'low', 'g'), metric('b', 'pass', 'g', true)], {}).score).toBe(50);
    expect(scoreMetrics([metric('a', 'pass', 'g'), metric('b', 'nodata', 'g', true)], {}).score).toBe(0);
  });
});

describe('weighted-sum scorer: rules', () => {
  it('half the metrics without data scores 0', () => {
    expect(scoreMetrics([metric('a', 'pass', 'g'), metric('b', 'nodata', 'h')], {})).toMatchObject({ score: 0, zeroedBy: { rule: 'nodata', nodata: 1, total: 2 } });
  });

  it('nodata_fail counts as a failed metric', () => {
    expect(scoreMetrics([metric('a', 'pass', 'g'), metric('b', 'nodata_fail', 'g')], {}).score).toBe(50);
  });

  it('groups without a weight share what is left of 100', () => {
    expect(scoreMetrics([metric('a', 'high', 'heavy'), metric('b', 'pass', 'x'), metric('c', 'pass', 'y')], { heavy: 60 }).score).toBe(40);
  });

  it('classes the score: at or above pass passes, at or above marginal is marginal', () => {
    const thresholds = { pass: 95, marginal: 75 };
    expect([classifyScore(95, thresholds), classifyScore(94.99, thresholds), classifyScore(75, thresholds), classifyScore(74.99, thresholds)]).toEqual(['pass', 'marginal', 'marginal', 'fail']);
  });
});
