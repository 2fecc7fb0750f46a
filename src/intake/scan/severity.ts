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
 * Scores GHSA labels stand for when no vector can be scored: the middle of each CVSS band, as the
 * risk score reads them (src/risk/factors/advisory.ts), so SARIF's security-severity and the risk
 * score agree.
 */
const bandMiddle: Record<SeverityLevel, number> = { none: 0, low: 2, medium: 5.5, high: 8, critical: 9.5 };

export function scoreForLevel(level: SeverityLevel): number {
  return bandMiddle[level];
}

export function severityRank(level: SeverityLevel): number {
  return severityLevels.indexOf(level);
}
