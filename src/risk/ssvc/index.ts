export { cisaCoordinatorTable, type CisaCoordinatorRow } from './cisa-coordinator-table.js';
export { cisaDecisionRank, decideCisa } from './decide.js';
export {
  cisaDecisions,
  ssvcOrder,
  type CisaDecision,
  type SsvcAutomatable,
  type SsvcExploitation,
  type SsvcInputs,
  type SsvcMissionWellbeing,
  type SsvcTechnicalImpact,
} from './types.js';
