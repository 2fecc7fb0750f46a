export { classifyChange } from './change-class.js';
export { defaultRiskPolicy, riskPolicySchema, type RiskPolicy, type RiskPolicyInput } from '../config/sections/risk-policy.js';
export { scoreRisk } from './score.js';
export type {
  AffectedService,
  ChangeClass,
  EndOfLife,
  FactorGroup,
  FixedAdvisory,
  Reversibility,
  RiskAssessment,
  RiskFactor,
  RiskInput,
} from './types.js';
export * from './cvss/index.js';
export * from './ssvc/index.js';
