import { UfError } from '../../core/errors.js';
import { cisaDecisionRank } from '../../risk/ssvc/decide.js';
import { cisaDecisions, type CisaDecision } from '../../risk/ssvc/types.js';
import { severityRank, type SeverityLevel } from '../../risk/cvss/index.js';

/** What `--fail-on` asks: exit 1 only for a finding at or above a severity, or an SSVC decision. */
export type FailOn = { kind: 'severity'; level: Exclude<SeverityLevel, 'none'> } | { kind: 'ssvc'; decision: CisaDecision } | { kind: 'any' };

const severities = ['low', 'medium', 'high', 'critical'] as const;

export function parseFailOn(text: string | undefined): FailOn {
  if (text === undefined) return { kind: 'any' };
  const value = text.trim().toLowerCase();
  if ((severities as readonly string[]).includes(value)) return { kind: 'severity', level: value as (typeof severities)[number] };
  if ((cisaDecisions as readonly string[]).includes(value)) return { kind: 'ssvc', decision: value as CisaDecision };
  throw new UfError('usage', `--fail-on takes a severity (${severities.join(', ')}) or an SSVC decision (${cisaDecisions.join(', ')}), not "${text}"`);
}

/**
 * Whether a finding trips the gate. A finding whose severity is unknown trips every severity gate:
 * nothing shows it is below the line, and a gate that lets unknowns through fails open.
 */
export function tripsGate(finding: { severity: { level?: SeverityLevel }; ssvc: { decision: CisaDecision } }, failOn: FailOn): boolean {
  if (failOn.kind === 'any') return true;
  if (failOn.kind === 'ssvc') return cisaDecisionRank(finding.ssvc.decision) >= cisaDecisionRank(failOn.decision);
  const level = finding.severity.level;
  return level === undefined || severityRank(level) >= severityRank(failOn.level);
}
