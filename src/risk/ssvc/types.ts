/** SSVC decision-point values, named as in the CISA coordinator table (`public poc` spelled `public_poc`). */
export type SsvcExploitation = 'none' | 'public_poc' | 'active';
export type SsvcAutomatable = 'no' | 'yes';
export type SsvcTechnicalImpact = 'partial' | 'total';
export type SsvcMissionWellbeing = 'low' | 'medium' | 'high';

/** CISA's SSVC outcomes, from least to most urgent (defined in core: assessments store them). */
export { cisaDecisions, type CisaDecision } from '../../core/upgrade/types.js';

export interface SsvcInputs {
  exploitation: SsvcExploitation;
  automatable: SsvcAutomatable;
  technicalImpact: SsvcTechnicalImpact;
  missionWellbeing: SsvcMissionWellbeing;
}

/** Each decision point's values from least to most severe, and the outcomes from least to most urgent. */
export const ssvcOrder = {
  exploitation: ['none', 'public_poc', 'active'],
  automatable: ['no', 'yes'],
  technicalImpact: ['partial', 'total'],
  missionWellbeing: ['low', 'medium', 'high'],
} as const satisfies { [K in keyof SsvcInputs]: readonly SsvcInputs[K][] };

