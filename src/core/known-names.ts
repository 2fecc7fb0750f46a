import { UfError } from './errors.js';

/**
 * Filters that name a thing (a service, an environment, a kind) check the name first: an unknown
 * name is an error with the closest known names, never an empty answer that looks like "nothing".
 */
export function checkKnown(what: string, option: string, value: string, known: readonly string[], code: 'not_found' | 'usage' = 'not_found'): void {
  if (known.includes(value)) return;
  throw unknownName(what, option, value, known, code);
}

/** `code`: not_found (exit 1) for names from the store; usage (exit 2) for a fixed set of values. */
export function unknownName(what: string, option: string, value: string, known: readonly string[], code: 'not_found' | 'usage' = 'not_found'): UfError {
  const hint = didYouMean(value, known);
  const list = known.length === 0 ? ` (none known yet)` : ` (known: ${known.slice(0, 20).join(', ')}${known.length > 20 ? `, … ${known.length - 20} more` : ''})`;
  return new UfError(code, `${option}: unknown ${what} '${value}'${hint}${list}`);
}

/** `; did you mean 'a' or 'b'?` naming the closest known names, to append to a message; '' when none is close. */
export function didYouMean(value: string, known: readonly string[]): string {
  const close = closestNames(value, known);
  return close.length > 0 ? `; did you mean ${close.map((n) => `'${n}'`).join(' or ')}?` : '';
}

/** Known names within a small edit distance (case-insensitive), nearest first. */
export function closestNames(value: string, known: readonly string[], limit = 3): string[] {
  const target = value.toLowerCase();
  const budget = Math.max(2, Math.floor(target.length / 3));
  return known
    .map((name) => ({ name, distance: editDistance(target, name.toLowerCase()) }))
    .filter((c) => c.distance <= budget || c.name.toLowerCase().includes(target))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((c) => c.name);
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
