/**
 * A factor before weighting: what was observed, how strongly it counts (0..1), and why.
 * score.ts turns drafts into RiskFactors by giving each its share of the group's points.
 */
export interface FactorDraft {
  value: string | number | boolean;
  /** 0 = adds nothing, 1 = adds the factor's full weight. */
  normalised: number;
  reason: string;
}

export function clamp01(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

/** A count that counts linearly and fully from `full` on; negative counts count as none. */
export function saturating(count: number, full: number): number {
  return clamp01(count / full);
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `a, b and c`, or `a, b, c and 4 more` past `max` names. */
export function listNames(names: readonly string[], max = 4, separator = ', '): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > max) return `${names.slice(0, max).join(separator)} and ${names.length - max} more`;
  return `${names.slice(0, -1).join(separator)} and ${names[names.length - 1]}`;
}

/** How a saturating count reads in a reason: `counts 30% of its weight, fully from 10`. */
export function countsAs(normalised: number, full: number, policyKey: string): string {
  return `counts ${percent(normalised)} of its weight (fully from ${full}, policy ${policyKey})`;
}
