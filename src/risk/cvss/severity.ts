import type { CvssSeverity } from './types.js';

/** FIRST's qualitative rating for a 0.0–10.0 score (CVSS v3.1 §5, v4.0 §6: the same bands). */
export function cvssSeverity(score: number): CvssSeverity {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}
