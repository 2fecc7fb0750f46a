import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignVariant, assignWeightedVariant, baselineStartOf, bucketOf, hashKey, seedOf, thresholdOf } from './assign.js';

describe('assignVariant', () => {
  it('is stable for a key: the same answer every time', () => {
    fc.assert(fc.property(fc.string(), fc.integer({ min: 0, max: 100 }), (key, weight) => assignVariant(key, weight) === assignVariant(key, weight)));
  });

  it('is monotone: a key in the canary at a weight stays in it at any higher weight', () => {
    fc.assert(
      fc.property(fc.string(), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (key, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return assignVariant(key, low) === 'stable' || assignVariant(key, high) === 'canary';
      }),
    );
  });

  it('sends nobody to the canary at 0 % and everybody at 100 %', () => {
    fc.assert(fc.property(fc.string(), (key) => assignVariant(key, 0) === 'stable' && assignVariant(key, 100) === 'canary'));
  });

  it('puts the weight in force on the canary, within 1 percentage point over 100,000 random keys', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer(), (weight, seed) => {
        let canary = 0;
        let state = seed >>> 0;
        for (let i = 0; i < 100_000; i++) {
          state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
          if (assignVariant(`user-${state.toString(36)}-${i}`, weight) === 'canary') canary++;
        }
        expect(Math.abs((canary / 1000) - weight)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 20 },
    );
  });

  it('spreads sequential ids evenly (no clustering of similar keys)', () => {
    let canary = 0;
    for (let i = 0; i < 100_000; i++) if (assignVariant(String(i), 5) === 'canary') canary++;
    expect(canary / 1000).toBeGreaterThan(4.5);
    expect(canary / 1000).toBeLessThan(5.5);
  });

  it('draws different users for different seeds', () => {
    const seed = seedOf('rollout-42');
    let same = 0;
    for (let i = 0; i < 10_000; i++) if (assignVariant(`u${i}`, 10) === 'canary' && assignVariant(`u${i}`, 10, seed) === 'canary') same++;
    // Independent draws at 10 % overlap on about 1 % of users.
    expect(same).toBeLessThan(200);
  });
});

describe('hashKey', () => {
  it('never changes (users would move between versions mid-rollout)', () => {
    expect(hashKey('')).toBe(hashKey('', seedOf('')));
    expect([hashKey('user-1'), hashKey('alice'), bucketOf('alice')]).toMatchInlineSnapshot(`
      [
        2005895916,
        3927234078,
        4078,
      ]
    `);
  });
});

describe('thresholdOf', () => {
  it('maps percent to buckets with 0.01 pp resolution and clamps', () => {
    expect([thresholdOf(0), thresholdOf(5), thresholdOf(12.34), thresholdOf(100), thresholdOf(-1), thresholdOf(150)]).toEqual([0, 500, 1234, 10_000, 0, 10_000]);
  });
});

describe('assignWeightedVariant (canary from the bottom of the buckets, baseline from the top)', () => {
  const weights = fc
    .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
    .filter(([canary, baseline]) => canary + baseline <= 100)
    .map(([canary, baseline]) => ({ canary, baseline }));

  it('agrees with assignVariant without a baseline', () => {
    fc.assert(fc.property(fc.string(), fc.integer({ min: 0, max: 100 }), (key, canary) => assignWeightedVariant(key, { canary }) === assignVariant(key, canary)));
  });

  it('keeps canary users in the canary as either weight grows, and baseline users in the baseline', () => {
    fc.assert(
      fc.property(fc.string(), weights, weights, (key, a, b) => {
        const grown = { canary: Math.max(a.canary, b.canary), baseline: Math.max(a.baseline, b.baseline) };
        fc.pre(grown.canary + grown.baseline <= 100);
        const before = assignWeightedVariant(key, a);
        const after = assignWeightedVariant(key, grown);
        return before === 'stable' || before === after;
      }),
    );
  });

  it('never moves a user between canary and baseline while the other weight changes', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (key, canary, b1, b2) => {
        // The canary's users are the same whatever the baseline, and the baseline's whatever the canary.
        const canaryUser = (baseline: number) => assignWeightedVariant(key, { canary, baseline }) === 'canary';
        const baselineUser = (c: number) => assignWeightedVariant(key, { canary: c, baseline: canary }) === 'baseline';
        return canaryUser(b1) === canaryUser(b2) && baselineUser(b1) === baselineUser(b2);
      }),
    );
  });

  it('puts each weight on its variant, within 1 percentage point over 100,000 keys', () => {
    const counts = { stable: 0, canary: 0, baseline: 0 };
    for (let i = 0; i < 100_000; i++) counts[assignWeightedVariant(`user-${i}`, { canary: 5, baseline: 5 })]++;
    expect(Math.abs(counts.canary / 1000 - 5)).toBeLessThanOrEqual(1);
    expect(Math.abs(counts.baseline / 1000 - 5)).toBeLessThanOrEqual(1);
  });

  it('lays the baseline at the top of the bucket space, never overlapping the canary', () => {
    expect([baselineStartOf(0), baselineStartOf(5), baselineStartOf(100), baselineStartOf(66.665, thresholdOf(33.335))]).toEqual([10_000, 9_500, 0, 3_334]);
  });
});
