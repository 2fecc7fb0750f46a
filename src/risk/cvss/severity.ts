import type { CvssSeverity } from './types.js';

/** FIRST's qualitative rating for a 0.0–10.0 score (CVSS v3.1 §5, v4.0 §6: the same bands). */
export function cvssSeverity(score: number): CvssSeverity {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

/** Severity levels as CI gates and SARIF read them, from least to most severe. */
export const severityLevels = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type SeverityLevel = (typeof severityLevels)[number];

/**
 * The level of a CVSS or GHSA label (`MODERATE` is GHSA's word for medium); undefined when the
 * advisory states no severity at all.
 */
export function severityLevelOf(label: string | undefined): SeverityLevel | undefined {
  if (label === undefined) return undefined;
  const upper = label.trim().toUpperCase();
  if (upper === 'MODERATE') return 'medium';
  const level = upper.toLowerCase();
  return (severityLevels as readonly string[]).includes(level) ? (level as SeverityLevel) : undefined;
}

/**
 * Scores GHSA labels stand for when no vector can be scored: the middle of each CVSS band (LOW
 * 0.1–3.9, MEDIUM 4.0–6.9, HIGH 7.0–8.9, CRITICAL 9.0–10.0), so a label never outranks a real
 * vector of the same band's upper half. The risk score and SARIF's security-severity both read it.
 */
const bandMiddle: Record<SeverityLevel, number> = { none: 0, low: 2, medium: 5.5, high: 8, critical: 9.5 };

export function scoreForLevel(level: SeverityLevel): number {
  return bandMiddle[level];
}

export function severityRank(level: SeverityLevel): number {
  return severityLevels.indexOf(level);
}
