import { describe, expect, it } from 'vitest';
import { binomialUpperBound, poissonTail } from '../bench/canary/binomial.js';
import { mulberry32 } from '../bench/canary/prng.js';
import { defaultProfile, quantile, simulateSecond, type Second, type TrafficPlan } from '../bench/canary/traffic.js';

const plan = (latencyFactor: number): TrafficPlan => ({ requestsPerSecond: 200, canaryShare: 0.05, baselineShare: 0.05, old: defaultProfile, regression: { latencyFactor } });

function simulate(seed: number, seconds: number, traffic: TrafficPlan): Second[] {
  const rng = mulberry32(seed);
  return Array.from({ length: seconds }, () => simulateSecond(rng, traffic));
}

describe('canary bench simulation', () => {
  it('gives the same samples for the same seed, and others for another seed', () => {
    expect(simulate(7, 20, plan(1.5))).toEqual(simulate(7, 20, plan(1.5)));
    expect(simulate(8, 20, plan(1.5))).not.toEqual(simulate(7, 20, plan(1.5)));
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 1000; i++) {
      const value = a.next();
      expect(value).toBe(b.next());
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('routes about 5% of the 200 requests/s to the canary and as many to the baseline', () => {
    const seconds = simulate(1, 300, plan(1));
    const total = (variant: 'stable' | 'baseline' | 'canary'): number => seconds.reduce((sum, s) => sum + s[variant].requests, 0);
    const all = total('stable') + total('baseline') + total('canary');
    expect(all).toBe(200 * 300);
    expect(total('canary') / all).toBeGreaterThan(0.045);
    expect(total('canary') / all).toBeLessThan(0.055);
    expect(total('baseline') / all).toBeGreaterThan(0.045);
    expect(total('baseline') / all).toBeLessThan(0.055);
    for (const s of seconds) for (const variant of ['stable', 'baseline', 'canary'] as const) expect(s[variant].latencies).toHaveLength(s[variant].requests);
  });

  it('shows the injected +50% p95 latency on the canary and none on the baseline', () => {
    const seconds = simulate(3, 600, plan(1.5));
    const p95 = (variant: 'baseline' | 'canary'): number => quantile(seconds.flatMap((s) => s[variant].latencies), 0.95);
    const ratio = p95('canary') / p95('baseline');
    expect(ratio).toBeGreaterThan(1.4);
    expect(ratio).toBeLessThan(1.6);
    const expected = defaultProfile.latencyMedianMs * Math.exp(1.645 * defaultProfile.latencySigma);
    expect(p95('baseline') / expected).toBeGreaterThan(0.93);
    expect(p95('baseline') / expected).toBeLessThan(1.07);
  });

  it('applies the error rate of the regression to the canary only', () => {
    const traffic: TrafficPlan = { ...plan(1), regression: { latencyFactor: 1, errorRate: 0.5 } };
    const seconds = simulate(4, 100, traffic);
    const rate = (variant: 'baseline' | 'canary'): number => seconds.reduce((sum, s) => sum + s[variant].errors, 0) / seconds.reduce((sum, s) => sum + s[variant].requests, 0);
    expect(rate('canary')).toBeGreaterThan(0.4);
    expect(rate('baseline')).toBeLessThan(0.02);
  });

  it('bounds a false-rollback rate as R and scipy do (Clopper-Pearson upper end, 95%)', () => {
    // scipy.stats.beta.ppf(0.975, k + 1, n - k), R's binom.test(k, n)$conf.int[2]
    expect(binomialUpperBound(0, 200)).toBeCloseTo(0.01827534035513624, 9);
    expect(binomialUpperBound(2, 200)).toBeCloseTo(0.035654668397239776, 9);
    expect(binomialUpperBound(5, 200)).toBeCloseTo(0.05737435112684586, 9);
    expect(binomialUpperBound(1, 10)).toBeCloseTo(0.4450161170281954, 9);
    expect(binomialUpperBound(10, 10)).toBe(1);
    expect(poissonTail(1.5, 6)).toBeCloseTo(0.004455, 5); // 1 - ppois(5, 1.5)
  });
});
