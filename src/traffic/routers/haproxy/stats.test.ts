import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { canaryShare, countersOf, parseShowStat, weightInForce, weightShares } from './stats.js';

// Captured from HAProxy 2.6 (`show stat shop 4 -1`) after 8 requests at 75/25, canary then put in maintenance.
const fixture = readFileSync(new URL('./fixtures/show-stat-maint.csv', import.meta.url), 'utf8');

describe('show stat', () => {
  it('reads the server rows HAProxy prints', () => {
    const [stable, canary] = parseShowStat(fixture);
    expect(countersOf(stable!)).toEqual({ status: 'no check', weight: 75, sessions: 7, balancerPicks: 7, responses2xx: 7, responses5xx: 0 });
    expect(countersOf(canary!)).toMatchObject({ status: 'MAINT', weight: 25, sessions: 1 });
  });

  it('counts a server in maintenance or down as weight 0: it gets no traffic whatever its weight', () => {
    const [stable, canary] = parseShowStat(fixture);
    expect(weightInForce(stable!)).toBe(75);
    expect(weightInForce(canary!)).toBe(0);
    expect(weightInForce({ ...canary!, status: 'DOWN 1/2' })).toBe(0);
    expect(weightInForce({ ...canary!, status: 'UP' })).toBe(25);
  });

  it('names what HAProxy answered when it is not the CSV', () => {
    expect(() => parseShowStat('Permission denied\n')).toThrow(UfError);
    expect(() => parseShowStat('Permission denied\n')).toThrow(/Permission denied/);
  });
});

describe('canaryShare', () => {
  it('turns two weights into whole percentages', () => {
    expect(canaryShare(75, 25)).toEqual({ canary: 25, stable: 75 });
    expect(canaryShare(100, 0)).toEqual({ canary: 0, stable: 100 });
    expect(canaryShare(2, 1)).toEqual({ canary: 33, stable: 67 });
    expect(canaryShare(0, 0)).toEqual({ canary: 0, stable: 0 });
  });
});

describe('weightShares', () => {
  it('turns three weights into whole percentages that add up to 100', () => {
    expect(weightShares(90, 5, 5)).toEqual({ canary: 5, stable: 90, baseline: 5 });
    expect(weightShares(0, 0, 100)).toEqual({ canary: 0, stable: 0, baseline: 100 });
    expect(weightShares(1, 1, 1)).toEqual({ canary: 33, stable: 34, baseline: 33 });
    expect(weightShares(0, 1, 1)).toEqual({ canary: 50, stable: 0, baseline: 50 });
    expect(weightShares(0, 0, 0)).toEqual({ canary: 0, stable: 0, baseline: 0 });
  });
});
