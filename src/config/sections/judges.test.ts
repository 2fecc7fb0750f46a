import { describe, expect, it } from 'vitest';
import { judgeSettingsSchema, mannWhitneySettingsSchema } from './judges.js';

const issues = (raw: unknown) => {
  const parsed = judgeSettingsSchema.safeParse(raw);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('judge settings', () => {
  it("fills Kayenta's defaults", () => {
    expect(mannWhitneySettingsSchema.parse({})).toEqual({
      direction: 'either',
      tolerance: 0.25,
      confidence: 0.95,
      effectSize: { measure: 'meanRatio', allowedIncrease: 1, allowedDecrease: 1, criticalIncrease: 1, criticalDecrease: 1 },
      critical: false,
      mustHaveData: false,
      nan: 'remove',
    });
    expect(mannWhitneySettingsSchema.parse({ effectSize: { measure: 'cles' } }).effectSize).toEqual({ measure: 'cles', allowedIncrease: 0.5, allowedDecrease: 0.5, criticalIncrease: 0.5, criticalDecrease: 0.5 });
    const statistical = judgeSettingsSchema.parse({ kind: 'statistical', metrics: [{ metric: 'p95_latency' }] });
    expect(statistical).toMatchObject({ groupWeights: {}, scoreThresholds: { pass: 95, marginal: 75 }, metrics: [{ groups: ['default'] }], failureLimit: 0 });
    expect(judgeSettingsSchema.parse({ kind: 'threshold', checks: [{ metric: 'p95_latency', max: 250 }] })).toMatchObject({ minSamples: 1, failureLimit: 0 });
  });

  it('refuses a statistical judge outside its domain, naming the key', () => {
    const metric = (extra: object) => ({ kind: 'statistical', metrics: [{ metric: 'p95_latency', ...extra }] });
    expect(issues(metric({ tolerance: 1.5 }))).toEqual([expect.stringMatching(/^metrics\.0\.tolerance: /)]);
    expect(issues(metric({ confidence: 1 }))).toEqual([expect.stringMatching(/^metrics\.0\.confidence: /)]);
    expect(issues(metric({ confidence: 0 }))).toEqual([expect.stringMatching(/^metrics\.0\.confidence: /)]);
    expect(issues(metric({ direction: 'up' }))).toEqual([expect.stringMatching(/^metrics\.0\.direction: /)]);
    expect(issues(metric({ nan: 'keep' }))).toEqual([expect.stringMatching(/^metrics\.0\.nan: /)]);
    expect(issues(metric({ effectSize: { measure: 'cles', allowedIncrease: 1.5 } }))).toEqual(['metrics.0.effectSize.allowedIncrease: allowedIncrease must be between 0 and 1 for cles']);
    expect(issues(metric({ effectSize: { criticalDecrease: 0 } }))).toEqual(['metrics.0.effectSize.criticalDecrease: criticalDecrease must be a positive ratio for meanRatio']);
    expect(issues({ kind: 'statistical', metrics: [{ metric: 'a' }], scoreThresholds: { pass: 70, marginal: 80 } })).toEqual(['scoreThresholds.marginal: marginal (80) must not exceed pass (70)']);
    expect(issues({ kind: 'statistical', metrics: [{ metric: 'a' }], failureLimit: -1 })[0]).toMatch(/^failureLimit: /);
    expect(issues({ kind: 'statistical', metrics: [{ metric: 'a' }], failureLimit: 1.5 })[0]).toMatch(/^failureLimit: /);
    expect(judgeSettingsSchema.parse({ kind: 'statistical', metrics: [{ metric: 'a' }], failureLimit: 2 })).toMatchObject({ failureLimit: 2 });
    expect(issues({ kind: 'statistical', metrics: [{ metric: 'a', groups: ['x'] }], groupWeights: { y: 10 } })[0]).toMatch(/^groupWeights\.y: no metric is in group 'y'/);
    expect(issues({ kind: 'statistical', metrics: [{ metric: 'a', groups: ['x'] }], groupWeights: { x: -1 } })[0]).toMatch(/^groupWeights\.x: /);
    expect(issues({ kind: 'statistical', metrics: [{ metric: 'a', groups: ['x'] }, { metric: 'b', groups: ['y'] }], groupWeights: { x: 60, y: 50 } })).toEqual(['groupWeights: group weights add up to 110, more than 100']);
    expect(issues({ kind: 'statistical', metrics: [{ metric: 'a', groups: ['x'] }, { metric: 'b', groups: ['y'] }], groupWeights: { x: 60, y: 30 } })).toEqual(['groupWeights: group weights add up to 90; with every group weighted they must add up to 100']);
    expect(issues({ kind: 'statistical', metrics: [{ metric: 'a' }, { metric: 'a' }] })).toEqual(["metrics.1.metric: metric 'a' is listed twice"]);
  });

  it('refuses a threshold judge outside its domain', () => {
    expect(issues({ kind: 'threshold', checks: [{ metric: 'p95_latency' }] })[0]).toMatch(/states no limit/);
    expect(issues({ kind: 'threshold', checks: [{ metric: 'p95_latency', min: 5, max: 1 }] })).toEqual(['checks.0.min: min (5) is above max (1)']);
    expect(issues({ kind: 'threshold', checks: [{ metric: 'p95_latency', maxRatio: 0 }] })[0]).toMatch(/^checks\.0\.maxRatio: /);
    expect(issues({ kind: 'threshold', checks: [{ metric: 'p95_latency', max: 1 }], failureLimit: -1 })[0]).toMatch(/^failureLimit: /);
    expect(issues({ kind: 'threshold', checks: [{ metric: 'p95_latency', max: 1 }], minSamples: 0 })[0]).toMatch(/^minSamples: /);
    expect(issues({ kind: 'bayesian' })[0]).toMatch(/^kind: /);
  });
});
