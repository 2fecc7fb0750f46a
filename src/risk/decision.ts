import type { AdvisoryEvidence } from './factors/advisory.js';
import type { MissionWellbeing } from './factors/blast-radius.js';
import { cisaDecisionRank, decideCisa } from './ssvc/decide.js';
import { ssvcOrder, type CisaDecision, type SsvcInputs } from './ssvc/types.js';

export interface SsvcOutcome {
  decision: CisaDecision;
  inputs: SsvcInputs;
  /** Label of the advisory that decided, undefined when the upgrade fixes none. */
  advisory: string | undefined;
  reason: string;
}

/**
 * SSVC is defined per vulnerability, so each fixed advisory gets its own decision and the upgrade
 * takes the most urgent one. Mixing the worst input of each advisory (one advisory's KEV listing
 * with another's total impact) would decide on a vulnerability that does not exist.
 */
export function decideSsvc(evidence: readonly AdvisoryEvidence[], mission: MissionWellbeing): SsvcOutcome {
  const missionText = `mission and well-being ${mission.value} (${mission.because})`;
  if (evidence.length === 0) {
    const inputs: SsvcInputs = { exploitation: 'none', automatable: 'no', technicalImpact: 'partial', missionWellbeing: mission.value };
    const decision = decideCisa(inputs);
    return { decision, inputs, advisory: undefined, reason: `The upgrade fixes no advisory: exploitation none, automatable no, technical impact partial, ${missionText} → ${decision} in the CISA coordinator table.` };
  }
  const candidates = evidence.map((item) => {
    const inputs: SsvcInputs = {
      exploitation: item.exploitation.value,
      automatable: item.automatable.value,
      technicalImpact: item.technicalImpact.value,
      missionWellbeing: mission.value,
    };
    return { item, inputs, decision: decideCisa(inputs) };
  });
  const top = candidates.reduce((best, next) => (urgency(next) > urgency(best) ? next : best));
  const { item, inputs, decision } = top;
  const of = evidence.length === 1 ? 'the one fixed advisory' : `the most urgent of ${evidence.length} fixed advisories`;
  return {
    decision,
    inputs,
    advisory: item.label,
    reason:
      `${item.label} is ${of}: exploitation ${inputs.exploitation} (${item.exploitation.because}), ` +
      `automatable ${inputs.automatable} (${item.automatable.because}), technical impact ${inputs.technicalImpact} (${item.technicalImpact.because}), ` +
      `${missionText} → ${decision} in the CISA coordinator table.`,
  };
}

/** Decision first, then the inputs from most to least telling; ties keep the first advisory given. */
function urgency({ decision, inputs }: { decision: CisaDecision; inputs: SsvcInputs }): number {
  return (
    cisaDecisionRank(decision) * 1000 +
    ssvcOrder.exploitation.indexOf(inputs.exploitation) * 100 +
    ssvcOrder.technicalImpact.indexOf(inputs.technicalImpact) * 10 +
    ssvcOrder.automatable.indexOf(inputs.automatable)
  );
}
