import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { planWeightChange } from './weights.js';
import { assertCanaryWeight, assertTrafficWeights } from '../../validate.js';

describe('assertCanaryWeight', () => {
  it('accepts whole percentages and rejects the rest as usage errors', () => {
    for (const ok of [0, 1, 50, 100]) expect(() => assertCanaryWeight(ok)).not.toThrow();
    for (const bad of [-1, 101, 12.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => assertCanaryWeight(bad)).toThrow(UfError);
    }
  });
});

describe('assertTrafficWeights', () => {
  it('fills in the baseline, and refuses fractions, sums above 100 and a baseline nobody configured', () => {
    expect(assertTrafficWeights({ canary: 5 }, false)).toEqual({ canary: 5, baseline: 0 });
    expect(assertTrafficWeights({ canary: 5, baseline: 0 }, false)).toEqual({ canary: 5, baseline: 0 });
    expect(assertTrafficWeights({ canary: 50, baseline: 50 }, true)).toEqual({ canary: 50, baseline: 50 });
    for (const [weights, configured, message] of [
      [{ canary: 5, baseline: 5 }, false, /no baseline upstream configured/],
      [{ canary: 60, baseline: 41 }, true, /add up to more than 100/],
      [{ canary: 5, baseline: 0.5 }, true, /baseline weight is a whole percentage/],
      [{ canary: 5.5, baseline: 0 }, true, /canary weight is a whole percentage/],
    ] as const) {
      expect(() => assertTrafficWeights(weights, configured)).toThrow(message);
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

describe('planWeightChange with a baseline server', () => {
  const weight = fc.integer({ min: 0, max: 100 });
  const split = fc.tuple(weight, weight).filter(([c, b]) => c + b <= 100);

  it('sets all three servers in one plan, ending at canary c, baseline b, stable 100−c−b', () => {
    const plan = planWeightChange({ stable: 100, canary: 0, baseline: 0 }, { canary: 5, baseline: 5 });
    expect(plan).toEqual([
      { server: 'canary', weight: 5 },
      { server: 'baseline', weight: 5 },
      { server: 'stable', weight: 90 },
    ]);
    expect(planWeightChange({ stable: 90, canary: 5, baseline: 5 }, 25)).toEqual([
      { server: 'canary', weight: 25 },
      { server: 'baseline', weight: 0 },
      { server: 'stable', weight: 75 },
    ]);
  });

  it('raises before it lowers: no in-between state leaves every server at 0, whatever was set before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 256 }), fc.integer({ min: 0, max: 256 }), fc.integer({ min: 0, max: 256 }), split, (stable, canary, baseline, [c, b]) => {
        let state: Record<string, number> = { stable, canary, baseline };
        const plan = planWeightChange({ stable, canary, baseline }, { canary: c, baseline: b });
        expect(plan).toHaveLength(3);
        plan.forEach((change, index) => {
          state = { ...state, [change.server]: change.weight };
          if (index < plan.length - 1) expect(state.stable! + state.canary! + state.baseline!).toBeGreaterThan(0);
        });
        expect(state).toEqual({ stable: 100 - c - b, canary: c, baseline: b });
      }),
    );
  });
});
