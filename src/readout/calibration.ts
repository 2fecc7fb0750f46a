import type { RiskPolicy } from '../config/sections/risk-policy.js';
import type { RiskFactor } from '../risk/types.js';

/**
 * Calibration of the risk score against what happened (README, "Economics"). The score is meant
 * to rank the changes likely to go wrong above the others; an upgrade that was rolled back, or was
 * followed by an incident on its services, went wrong.
 *
 * Only blast-radius and reversibility factors are judged: they describe the change. Exploitability
 * and end of life describe the threat the upgrade removes, which a rollback or an incident neither
 * confirms nor refutes (an exploit that did not happen is not observed), so their weights are left
 * alone. For each judged factor the mean of its normalised value (contribution ÷ weight) among
 * failed upgrades is compared with the mean among clean ones; a gap of at least `minGap` suggests
 * moving its share in `risk.factorWeights` by that gap (share × (1 + gap)), with the numbers shown.
 */
export interface CalibrationSample {
  upgradeId: string;
  name: string;
  score: number;
  factors: RiskFactor[];
  outcome: 'rolled_back' | 'incident' | 'clean';
  /** What the outcome rests on, e.g. `state rolled_back`, `2 incidents on checkout within 30 days`. */
  detail: string;
}

export interface FactorSuggestion {
  group: 'blastRadius' | 'reversibility';
  factor: string;
  current: number;
  suggested: number;
  failedMean: number;
  cleanMean: number;
  reasoning: string;
}

export interface CalibrationReport {
  samples: CalibrationSample[];
  failed: number;
  clean: number;
  /** Probability that a failed upgrade scored above a clean one (ties count half); 0.5 is no better than chance. */
  ranking?: { auc: number; failedMeanScore: number; cleanMeanScore: number; reading: string };
  suggestions: FactorSuggestion[];
  /** The suggestions as a `factory.yaml` fragment, when there are any. */
  yaml?: string;
  notes: string[];
}

export const minOutcomesEach = 3;
export const minGap = 0.2;

const groupKeys = { blast_radius: 'blastRadius', reversibility: 'reversibility' } as const;

export function calibrate(samples: CalibrationSample[], policy: RiskPolicy, notes: string[] = []): CalibrationReport {
  const failed = samples.filter((s) => s.outcome !== 'clean');
  const clean = samples.filter((s) => s.outcome === 'clean');
  const report: CalibrationReport = { samples, failed: failed.length, clean: clean.length, suggestions: [], notes: [...notes] };
  if (failed.length < minOutcomesEach || clean.length < minOutcomesEach) {
    report.notes.push(`not enough outcomes to suggest weights: ${failed.length} failed and ${clean.length} clean upgrades; at least ${minOutcomesEach} of each are needed`);
    return report;
  }
  const failedMeanScore = mean(failed.map((s) => s.score));
  const cleanMeanScore = mean(clean.map((s) => s.score));
  const auc = rankingAuc(failed.map((s) => s.score), clean.map((s) => s.score));
  const reading =
    auc >= 0.7
      ? 'the score ranks the changes that went wrong well above the others'
      : auc > 0.55
        ? 'the score ranks the changes that went wrong somewhat above the others'
        : 'the score does not rank the changes that went wrong above the others';
  report.ranking = { auc, failedMeanScore, cleanMeanScore, reading };

  for (const [groupName, key] of Object.entries(groupKeys) as [keyof typeof groupKeys, (typeof groupKeys)[keyof typeof groupKeys]][]) {
    const shares = policy.factorWeights[key] as Record<string, number>;
    for (const factor of Object.keys(shares)) {
      const valueOf = (s: CalibrationSample) => {
        const f = s.factors.find((x) => x.group === groupName && x.name === factor);
        return f && f.weight > 0 ? f.contribution / f.weight : undefined;
      };
      const f = failed.map(valueOf).filter((v): v is number => v !== undefined);
      const c = clean.map(valueOf).filter((v): v is number => v !== undefined);
      if (f.length < minOutcomesEach || c.length < minOutcomesEach) continue;
      const failedMean = mean(f);
      const cleanMean = mean(c);
      const gap = failedMean - cleanMean;
      if (Math.abs(gap) < minGap) continue;
      const current = shares[factor]!;
      const suggested = current === 0 ? Math.max(1, Math.round(gap * 10)) : Math.max(0, Math.round(current * (1 + gap)));
      if (suggested === current) continue;
      const direction = gap > 0 ? 'raise' : 'lower';
      report.suggestions.push({
        group: key,
        factor,
        current,
        suggested,
        failedMean,
        cleanMean,
        reasoning:
          `${factor} averaged ${pct(failedMean)} of its weight in the ${f.length} upgrades that went wrong and ${pct(cleanMean)} in the ${c.length} clean ones ` +
          `(gap ${gap > 0 ? '+' : ''}${gap.toFixed(2)}, at least ±${minGap} to suggest anything): ${direction} its share from ${current} to ${suggested} (share × (1 ${gap > 0 ? '+' : '−'} ${Math.abs(gap).toFixed(2)}))`,
      });
    }
  }
  if (report.suggestions.length === 0) report.notes.push(`no judged factor separates the upgrades that went wrong from the clean ones by ${minGap} or more: keep the weights`);
  else report.yaml = yamlFragment(report.suggestions);
  return report;
}

/** Mann-Whitney's U ÷ (n·m): how often a failed upgrade outscored a clean one. */
export function rankingAuc(failed: number[], clean: number[]): number {
  let wins = 0;
  for (const f of failed) for (const c of clean) wins += f > c ? 1 : f === c ? 0.5 : 0;
  return wins / (failed.length * clean.length);
}

function yamlFragment(suggestions: FactorSuggestion[]): string {
  const lines = ['risk:', '  factorWeights:'];
  for (const group of ['blastRadius', 'reversibility'] as const) {
    const items = suggestions.filter((s) => s.group === group);
    if (items.length === 0) continue;
    lines.push(`    ${group}:`);
    for (const s of items) lines.push(`      ${s.factor}: ${s.suggested}   # was ${s.current}`);
  }
  return lines.join('\n');
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function pct(value: number): string {
  return `${Math.round(value * 100)}%`;
}
