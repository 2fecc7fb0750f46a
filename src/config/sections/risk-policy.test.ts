import { describe, expect, it } from 'vitest';
import { defaultRiskPolicy, riskPolicySchema } from './risk-policy.js';

describe('riskPolicySchema', () => {
  it('gives the documented defaults for an empty or missing `risk:` section', () => {
    expect(riskPolicySchema.parse(undefined)).toEqual(defaultRiskPolicy);
    expect(defaultRiskPolicy.weights).toEqual({ exploitability: 65, blastRadius: 40, reversibility: 20, endOfLife: 10 });
    expect(defaultRiskPolicy.thresholds).toEqual({ epssPublicPoc: 0.1, epssPercentilePublicPoc: 0.95, recentDrillDays: 30, eolHorizonDays: 180 });
    expect(defaultRiskPolicy.unknownTier).toBe('medium');
  });

  it('keeps every other default when one value is overridden', () => {
    const policy = riskPolicySchema.parse({ factorWeights: { exploitability: { kev: 60 } }, thresholds: { recentDrillDays: 14 } });
    expect(policy.factorWeights.exploitability).toEqual({ ...defaultRiskPolicy.factorWeights.exploitability, kev: 60 });
    expect(policy.thresholds).toEqual({ ...defaultRiskPolicy.thresholds, recentDrillDays: 14 });
    expect(policy.weights).toEqual(defaultRiskPolicy.weights);
  });

  it.each([
    [{ weights: { exploitabilty: 50 } }, 'weights', /Unrecognized key/],
    [{ weights: { exploitability: 0, blastRadius: 0, reversibility: 0, endOfLife: 0 } }, 'weights', /at least one group weight/],
    [{ factorWeights: { blastRadius: { services: 0, tier: 0, trafficShare: 0, criticalPaths: 0, transitiveDependents: 0, internetFacing: 0, missionWellbeing: 0 } } }, 'factorWeights.blastRadius', /at least one blastRadius factor weight/],
    [{ thresholds: { epssPublicPoc: 0 } }, 'thresholds.epssPublicPoc', /too small/i],
    [{ saturation: { trafficShare: 2 } }, 'saturation.trafficShare', /too big/i],
    [{ unknownTier: 'gold' }, 'unknownTier', /expected one of/i],
  ])('rejects %j at %s', (input, where, message) => {
    const result = riskPolicySchema.safeParse(input);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path.join('.')).toBe(where);
    expect(issue?.message).toMatch(message);
  });
});
