import type { Severity } from './types.js';

const words: Record<string, Severity> = {
  critical: 'sev1',
  high: 'sev2',
  major: 'sev2',
  medium: 'sev3',
  moderate: 'sev3',
  minor: 'sev4',
  low: 'sev4',
  info: 'sev5',
  informational: 'sev5',
};

/**
 * A source's severity as sev1..sev5: `sev2`, `SEV-2`, `S2`, `P2` (PagerDuty and Opsgenie
 * priorities: P1 is the worst, as sev1), `2`, or a word (critical, high, medium, low, info).
 * Undefined for anything else, so the caller can name the field it came from.
 */
export function normaliseSeverity(text: string): Severity | undefined {
  const value = text.trim().toLowerCase();
  const numbered = /^(?:sev|s|p)?[-_ ]?([1-5])$/.exec(value);
  if (numbered) return `sev${numbered[1]}` as Severity;
  return words[value];
}

/** PagerDuty's urgency when an incident has no priority: high pages someone now, low waits. */
export function severityOfUrgency(urgency: string | undefined): Severity {
  return urgency === 'high' ? 'sev2' : urgency === 'low' ? 'sev4' : 'sev3';
}
