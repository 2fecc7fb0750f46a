import { classifyChange } from './change-class.js';
import { decideSsvc, type SsvcOutcome } from './decision.js';
import { readAdvisory } from './factors/advisory.js';
import { blastRadiusFactors, missionWellbeing } from './factors/blast-radius.js';
import type { FactorDraft } from './factors/draft.js';
import { endOfLifeFactor } from './factors/end-of-life.js';
import { exploitabilityFactors } from './factors/exploitability.js';
import { reversibilityFactors } from './factors/reversibility.js';
import type { RiskPolicy } from '../config/sections/risk-policy.js';
import type { FactorGroup, RiskAssessment, RiskFactor, RiskInput } from './types.js';

/**
 * Scores one upgrade candidate. Pure and deterministic: the same input and policy give the same
 * assessment, factors always in the same order.
 *
 * Each factor is normalised to 0..1; inside its group it gets a share of the group's points
 * (policy `weights`) in proportion to its `factorWeights`; its contribution is share × value; the
 * score is the sum of contributions, rounded and capped at 100. Every input can only raise its own
 * factors, so worse facts never lower the score (see score.property.test.ts).
 */
export function scoreRisk(input: RiskInput, policy: RiskPolicy): RiskAssessment {
  const evidence = input.advisories.map((advisory) => readAdvisory(advisory, policy));
  const mission = missionWellbeing(input.services, policy);
  const ssvc = decideSsvc(evidence, mission);
  const { weights, factorWeights } = policy;

  const factors = [
    ...weigh('exploitability', weights.exploitability, factorWeights.exploitability, exploitabilityFactors(evidence, policy, input.sources)),
    ...weigh('blast_radius', weights.blastRadius, factorWeights.blastRadius, blastRadiusFactors(input.services, mission, policy)),
    ...weigh('reversibility', weights.reversibility, factorWeights.reversibility, reversibilityFactors(input.reversibility, policy)),
    ...weigh('end_of_life', weights.endOfLife, { endOfLife: 1 }, { endOfLife: endOfLifeFactor(input.endOfLife, policy) }),
  ];
  const raw = factors.reduce((sum, factor) => sum + factor.exact, 0);
  const score = Math.min(100, Math.round(raw));
  const change = classifyChange(ssvc.decision, ssvc.inputs, input.reversibility, policy);
  const visible = factors.map(({ exact: _exact, ...factor }) => factor);

  return {
    score,
    decision: ssvc.decision,
    changeClass: change.changeClass,
    factors: visible,
    ssvcInputs: ssvc.inputs,
    decisionReason: ssvc.reason,
    changeClassReason: change.reason,
    summary: summarise(score, raw, ssvc, change.reason, visible),
  };
}

type WeighedFactor = RiskFactor & { exact: number };

/** Gives each factor of a group its share of the group's points; the exact contribution is kept for the total. */
function weigh<K extends string>(group: FactorGroup, points: number, shares: Record<K, number>, drafts: Record<K, FactorDraft>): WeighedFactor[] {
  const names = Object.keys(drafts) as K[];
  const totalShare = names.reduce((sum, name) => sum + shares[name], 0);
  return names.map((name) => {
    const draft = drafts[name];
    const weight = totalShare === 0 ? 0 : (points * shares[name]) / totalShare;
    const exact = weight * draft.normalised;
    return { name, group, value: draft.value, weight: round2(weight), contribution: round2(exact), reason: draft.reason, exact };
  });
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Decision, score, what drove it, and the change class; the details stay in the factors and reasons. */
function summarise(score: number, raw: number, ssvc: SsvcOutcome, changeClassReason: string, factors: readonly RiskFactor[]): string {
  const top = factors
    .filter((factor) => factor.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, 3)
    .map((factor) => `${factor.name} +${factor.contribution}`);
  const drivers = top.length > 0 ? ` Largest contributions: ${top.join(', ')}.` : ' No factor adds to the score.';
  const cap = raw > 100 ? ` The factors add up to ${raw.toFixed(1)}, capped at 100.` : '';
  const { inputs } = ssvc;
  const about = ssvc.advisory === undefined ? 'with no fixed advisory' : `for ${ssvc.advisory}`;
  const decision =
    `SSVC ${ssvc.decision} ${about}: exploitation ${inputs.exploitation}, automatable ${inputs.automatable}, ` +
    `technical impact ${inputs.technicalImpact}, mission and well-being ${inputs.missionWellbeing}.`;
  return `Risk score ${score}/100.${drivers}${cap} ${decision} ${changeClassReason}`;
}
