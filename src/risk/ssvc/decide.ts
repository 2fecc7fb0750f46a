import { UfError } from '../../core/errors.js';
import { cisaCoordinatorTable } from './cisa-coordinator-table.js';
import { cisaDecisions, type CisaDecision, type SsvcInputs } from './types.js';

const key = (inputs: SsvcInputs): string =>
  `${inputs.exploitation}|${inputs.automatable}|${inputs.technicalImpact}|${inputs.missionWellbeing}`;

const decisions = new Map<string, CisaDecision>(
  cisaCoordinatorTable.map(([exploitation, automatable, technicalImpact, missionWellbeing, decision]) => [
    key({ exploitation, automatable, technicalImpact, missionWellbeing }),
    decision,
  ]),
);

/** The CISA coordinator decision (track / track* / attend / act) for one set of SSVC inputs, by table lookup. */
export function decideCisa(inputs: SsvcInputs): CisaDecision {
  const decision = decisions.get(key(inputs));
  // The table covers all 36 combinations (checked in tests); this only catches a value outside the unions.
  if (decision === undefined) throw new UfError('parse_error', `no CISA SSVC row for ${key(inputs)}`);
  return decision;
}

/** 0 for track … 3 for act, to compare decisions by urgency. */
export function cisaDecisionRank(decision: CisaDecision): number {
  return cisaDecisions.indexOf(decision);
}
