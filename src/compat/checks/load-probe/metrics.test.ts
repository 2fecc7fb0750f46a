import { describe, expect, it } from 'vitest';
import { counterView, percentile, Rate, Trend } from './metrics.js';

describe("k6's trend percentile (linear interpolation between closest ranks)", () => {
  const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it.each([
    [0, 1],
    [50, 5.5], // rank 4.5: halfway between 5 and 6
    [90, 9.1], // rank 8.1
    [95, 9.55], // rank 8.55
    [99, 9.91], // rank 8.91
    [99.9, 9.991], // rank 8.991
    [100, 10],
  ])('p(%d) of 1..10 is %d', (pct, expected) => {
    expect(percentile(oneToTen, pct)).toBeCloseTo(expected, 10);
  });

  it('uses uneven gaps as they are', () => {
    // Samples 10, 20, 40, 80, 1000: p(95) at rank 3.8 = 80 + 0.8 × 920 = 816; p(75) at rank 3 = 80.
    expect(percentile([10, 20, 40, 80, 1000], 95)).toBeCloseTo(816, 10);
    expect(percentile([10, 20, 40, 80, 1000], 75)).toBe(80);
  });

  it('answers 0 with no sample and the sample itself with one, as k6 does', () => {
    expect(percentile([], 95)).toBe(0);
    expect(percentile([42], 1)).toBe(42);
  });

  it('sorts samples that arrived out of order before aggregating', () => {
    const trend = new Trend();
    for (const value of [300, 100, 200, 400]) trend.add(value);
    expect(trend.aggregate('min')).toBe(100);
    expect(trend.aggregate('max')).toBe(400);
    expect(trend.aggregate('avg')).toBe(250);
    expect(trend.aggregate('med')).toBe(250);
    expect(trend.aggregate('p', 95)).toBeCloseTo(385, 10); // rank 2.85: 300 + 0.85 × 100
    expect(trend.count).toBe(4);
  });
});

describe('rate and counter', () => {
  it('a rate is the share of true samples, 0 when empty', () => {
    const rate = new Rate();
    expect(rate.rate).toBe(0);
    for (const value of [true, false, false]) rate.add(value);
    expect(rate.rate).toBeCloseTo(1 / 3, 10);
  });

  it('a counter offers its count and its count per second', () => {
    const view = counterView(50, 2_000);
    expect(view.value({ aggregation: 'count' })).toBe(50);
    expect(view.value({ aggregation: 'rate' })).toBe(25);
  });
});
