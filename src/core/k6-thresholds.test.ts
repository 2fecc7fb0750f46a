import { describe, expect, it } from 'vitest';
import { loadProbeCheckSchema } from '../config/sections/compat.js';
import { holds, parseThreshold, type Threshold, thresholdOperators, unsupportedAggregation } from './k6-thresholds.js';

function parsed(source: string): Threshold {
  const result = parseThreshold(source);
  if (!result.ok) throw new Error(result.reason);
  return result.threshold;
}

describe('k6 threshold expressions', () => {
  it.each([
    ['avg<200', { aggregation: 'avg', operator: '<', value: 200 }],
    ['min>=0', { aggregation: 'min', operator: '>=', value: 0 }],
    ['max <= 1500', { aggregation: 'max', operator: '<=', value: 1500 }],
    ['med>10.5', { aggregation: 'med', operator: '>', value: 10.5 }],
    ['count==100', { aggregation: 'count', operator: '==', value: 100 }],
    ['count===100', { aggregation: 'count', operator: '===', value: 100 }],
    ['rate!=0', { aggregation: 'rate', operator: '!=', value: 0 }],
    ['rate<0.01', { aggregation: 'rate', operator: '<', value: 0.01 }],
    ['p(95)<200', { aggregation: 'p(95)', percentile: 95, operator: '<', value: 200 }],
    ['p(99.9) < 1000', { aggregation: 'p(99.9)', percentile: 99.9, operator: '<', value: 1000 }],
    ['p(0)>=-1', { aggregation: 'p(0)', percentile: 0, operator: '>=', value: -1 }],
    ['p(100)<=5', { aggregation: 'p(100)', percentile: 100, operator: '<=', value: 5 }],
  ])('reads %s', (source, expected) => {
    expect(parsed(source)).toEqual({ source, ...expected });
  });

  it.each([
    ['p95<200', 'not a k6 threshold'],
    ['p(95)', 'not a k6 threshold'],
    ['avg=<200', 'not a k6 threshold'],
    ['avg<>200', 'not a k6 threshold'],
    ['avg<200ms', 'not a k6 threshold'],
    ['mean<200', 'not a k6 threshold'],
    ['p(-1)<200', 'not a k6 threshold'],
    ['p(100.5)<200', 'between 0 and 100'],
    ['', 'not a k6 threshold'],
    ['avg<200 && max<400', 'not a k6 threshold'],
  ])('refuses %j', (source, reason) => {
    const result = parseThreshold(source);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('accepts what the config schema accepts, so a loaded config never meets a parse error', () => {
    const base = { id: 'load', kind: 'load-probe', url: 'http://127.0.0.1:1/', rate: 1, duration: '1s' };
    for (const source of ['p(95)<200', 'rate<0.01', 'avg<=150', 'count>100', 'p(99.9)!=3', 'med===1']) {
      expect(loadProbeCheckSchema.safeParse({ ...base, thresholds: { http_req_duration: [source] } }).success).toBe(true);
      expect(parseThreshold(source).ok).toBe(true);
    }
  });

  it('evaluates each of the seven operators', () => {
    const at = (operator: string, observed: number) => holds(parsed(`avg${operator}10`), observed);
    expect(thresholdOperators).toEqual(['<', '<=', '>', '>=', '==', '===', '!=']);
    expect([at('<', 9), at('<', 10)]).toEqual([true, false]);
    expect([at('<=', 10), at('<=', 10.01)]).toEqual([true, false]);
    expect([at('>', 11), at('>', 10)]).toEqual([true, false]);
    expect([at('>=', 10), at('>=', 9.99)]).toEqual([true, false]);
    expect([at('==', 10), at('==', 11)]).toEqual([true, false]);
    expect([at('===', 10), at('===', 9)]).toEqual([true, false]);
    expect([at('!=', 9), at('!=', 10)]).toEqual([true, false]);
  });

  it('allows each aggregation only on the metric types k6 offers it for', () => {
    const allowed = (type: 'trend' | 'rate' | 'counter', source: string) => unsupportedAggregation('m', type, parsed(source)) === undefined;
    expect(['avg<1', 'min<1', 'max<1', 'med<1', 'p(95)<1'].map((s) => allowed('trend', s))).toEqual([true, true, true, true, true]);
    expect(['count<1', 'rate<1'].map((s) => allowed('trend', s))).toEqual([false, false]);
    expect(['rate<1', 'count<1', 'avg<1', 'p(95)<1'].map((s) => allowed('rate', s))).toEqual([true, false, false, false]);
    expect(['count<1', 'rate<1', 'avg<1', 'p(99)<1', 'med<1'].map((s) => allowed('counter', s))).toEqual([true, true, false, false, false]);
    expect(unsupportedAggregation('http_req_failed', 'rate', parsed('p(95)<200'))).toBe(
      "http_req_failed 'p(95)<200': p(95) does not apply to http_req_failed, a rate metric (it offers rate)",
    );
  });
});
