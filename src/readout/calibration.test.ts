import { describe, expect, it } from 'vitest';
import { defaultRiskPolicy } from '../config/sections/risk-policy.js';
import type { RiskFactor } from '../risk/types.js';
import { calibrate, rankingAuc, type CalibrationSample } from './calibration.js';

function sample(id: string, outcome: CalibrationSample['outcome'], score: number, majorVersion: number, tier: number): CalibrationSample {
  const factor = (name: string, group: RiskFactor['group'], normalised: number): RiskFactor => ({ name, group, value: normalised, weight: 10, contribution: 10 * normalised, reason: '' });
  return { upgradeId: id, name: id, score, outcome, detail: outcome, factors: [factor('majorVersion', 'reversibility', majorVersion), factor('tier', 'blast_radius', tier), factor('kev', 'exploitability', 1)] };
}

describe('risk calibration', () => {
  it('suggests raising a factor present in the changes that went wrong, with its reasoning and the factory.yaml lines', () => {
    const samples = [
      sample('a', 'rolled_back', 70, 1, 0.5),
      sample('b', 'rolled_back', 60, 1, 0.5),
      sample('c', 'incident', 65, 1, 0.5),
      sample('d', 'clean', 40, 0, 0.5),
      sample('e', 'clean', 50, 0, 0.5),
      sample('f', 'clean', 30, 0, 0.5),
      sample('g', 'clean', 66, 0, 0.5),
    ];
    const report = calibrate(samples, defaultRiskPolicy);
    expect(report.failed).toBe(3);
    expect(report.clean).toBe(4);
    // 10 of 12 failed/clean pairs rank the failed one higher (60 and 65 are below the clean 66).
    expect(report.ranking?.auc).toBeCloseTo(10 / 12, 6);
    expect(report.suggestions).toEqual([
      expect.objectContaining({ group: 'reversibility', factor: 'majorVersion', current: 25, suggested: 50, failedMean: 1, cleanMean: 0 }),
    ]);
    expect(report.suggestions[0]!.reasoning).toContain('majorVersion averaged 100% of its weight in the 3 upgrades that went wrong and 0% in the 4 clean ones');
    expect(report.yaml).toBe(['risk:', '  factorWeights:', '    reversibility:', '      majorVersion: 50   # was 25'].join('\n'));
    // Exploitability is never judged by outcomes.
    expect(report.suggestions.some((s) => s.factor === 'kev')).toBe(false);
  });

  it('suggests nothing without enough outcomes of each kind, and says how many it has', () => {
    const report = calibrate([sample('a', 'rolled_back', 70, 1, 1), sample('d', 'clean', 40, 0, 0)], defaultRiskPolicy);
    expect(report.suggestions).toEqual([]);
    expect(report.notes).toContain('not enough outcomes to suggest weights: 1 failed and 1 clean upgrades; at least 3 of each are needed');
  });

  it('counts ties as half in the ranking', () => {
    expect(rankingAuc([50], [50])).toBe(0.5);
    expect(rankingAuc([60, 40], [50])).toBe(0.5);
  });
});
