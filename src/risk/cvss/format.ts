import type { CvssResult } from './types.js';

/**
 * Output of `uf cvss VECTOR [--json]`, a stable contract. Text: `CVSS 3.1 base 9.8 CRITICAL`,
 * followed by the overall score when the vector carries more than base metrics
 * (`… ; CVSS-BT 8.9 HIGH`). JSON: the whole result, scores as numbers.
 */
export function formatCvss(result: CvssResult, json: boolean): string {
  if (json) return JSON.stringify(result, null, 2);
  const base = `CVSS ${result.version} base ${result.baseScore.toFixed(1)} ${result.severity}`;
  const { overall } = result;
  if (overall.label === 'base' || overall.label === 'CVSS-B') return base;
  return `${base}; ${overall.label} ${overall.score.toFixed(1)} ${overall.severity}`;
}
