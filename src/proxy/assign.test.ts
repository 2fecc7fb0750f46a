import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignVariant, bucketOf, hashKey, seedOf, thresholdOf } from './assign.js';

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
