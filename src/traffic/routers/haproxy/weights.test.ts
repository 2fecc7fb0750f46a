import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { planWeightChange } from './weights.js';
import { assertCanaryWeight } from '../../validate.js';

describe('assertCanaryWeight', () => {
  it('accepts whole percentages and rejects the rest as usage errors', () => {
    for (const ok of [0, 1, 50, 100]) expect(() => assertCanaryWeight(ok)).not.toThrow();
    for (const bad of [-1, 101, 12.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => assertCanaryWeight(bad)).toThrow(UfError);
    }
  });
});

describe('planWeightChange', () => {
  const apply = (current: { stable: number; canary: number }, canary: number) => {
    const [first, second] = planWeightChange(current, canary);
    const between = { ...current, [first!.server]: first!.weight };
    const after = { ...between, [second!.server]: second!.weight };
    return { between, after };
  };

  it('ends at stable 100−p and canary p', () => {
    expect(apply({ stable: 100, canary: 0 }, 25).after).toEqual({ stable: 75, canary: 25 });
    expect(apply({ stable: 0, canary: 100 }, 0).after).toEqual({ stable: 100, canary: 0 });
  });

  it('raises before it lowers: 0→100 never passes through two zero weights', () => {
    expect(apply({ stable: 100, canary: 0 }, 100).between).toEqual({ stable: 100, canary: 100 });
    expect(apply({ stable: 0, canary: 100 }, 0).between).toEqual({ stable: 100, canary: 100 });
  });

  it('keeps the in-between share between the old and the new share, and some server up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (from, to) => {
        const { between } = apply({ stable: 100 - from, canary: from }, to);
        const total = between.stable + between.canary;
        expect(total).toBeGreaterThan(0);
        const share = (100 * between.canary) / total;
        expect(share).toBeGreaterThanOrEqual(Math.min(from, to) - 1e-9);
        expect(share).toBeLessThanOrEqual(Math.max(from, to) + 1e-9);
      }),
    );
  });

  it('never leaves both servers at weight 0, whatever weights someone else set (0..256)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 256 }), fc.integer({ min: 0, max: 256 }), fc.integer({ min: 0, max: 100 }), (stable, canary, to) => {
        const { between } = apply({ stable, canary }, to);
        expect(between.stable + between.canary).toBeGreaterThan(0);
      }),
    );
  });
});
