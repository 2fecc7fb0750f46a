import { compareDigits, isDigits, stripZeros, type Order } from '../common/digits.js';

/**
 * Packagist order: PHP's `version_compare` after dropping one leading `v`/`V`, which is how OSV
 * orders Packagist versions (and how Composer compares once it has normalised both sides).
 * Numbers compare by value at any length, where PHP would overflow past 2^63.
 */
export interface PackagistVersion {
  text: string;
  parts: readonly string[];
}

/** Tags as they appear on Packagist: letters, digits, `._+-`, and `#` which PHP reads as a number. */
const validPattern = /^(?=.*[A-Za-z0-9])[A-Za-z0-9._+#-]+$/;

export function parsePackagistVersion(input: string): PackagistVersion | undefined {
  const text = input.trim();
  if (!validPattern.test(text)) return undefined;
  return { text, parts: canonicalParts(text.replace(/^[vV]/, '')) };
}

/**
 * PHP's canonical form: `-`, `_`, `+` become `.`, a `.` goes between digits and non-digits, and
 * empty parts (`1..2`, a trailing `.`) vanish as PHP's separator folding makes them.
 */
export function canonicalParts(text: string): string[] {
  return text
    .replace(/[-_+]/g, '.')
    .replace(/([^\d.])(?=\d)|(\d)(?=[^\d.])/g, '$1$2.')
    .split('.')
    .filter((part) => part !== '');
}

/** PHP's special forms, matched as prefixes in this order; `#` is how PHP ranks a number here. */
const specialForms: readonly [string, number][] = [
  ['dev', 0], ['alpha', 1], ['a', 1], ['beta', 2], ['b', 2], ['RC', 3], ['rc', 3], ['#', 4], ['pl', 5], ['p', 5],
];

/** Unknown words rank below `dev`, as in PHP (case matters: `BETA` is unknown). */
function specialRank(part: string): number {
  return specialForms.find(([form]) => part.startsWith(form))?.[1] ?? -1;
}

function comparePart(a: string, b: string): Order {
  const [aNumber, bNumber] = [isDigits(a), isDigits(b)];
  if (aNumber && bNumber) return compareDigits(a, b);
  const rankA = aNumber ? 4 : specialRank(a);
  const rankB = bNumber ? 4 : specialRank(b);
  return rankA < rankB ? -1 : rankA > rankB ? 1 : 0;
}

/**
 * `version_compare`'s walk: parts pairwise; then a longer version wins if its next part is a
 * number, otherwise its remaining parts are compared against a number (`1.0-beta` < `1.0`).
 */
export function comparePackagistParts(a: readonly string[], b: readonly string[]): Order {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = comparePart(a[i] ?? '', b[i] ?? '');
    if (order !== 0) return order;
  }
  if (a.length > b.length) return isDigits(a[shared] ?? '') ? 1 : comparePackagistParts(a.slice(shared), ['#']);
  if (a.length < b.length) return isDigits(b[shared] ?? '') ? -1 : comparePackagistParts(['#'], b.slice(shared));
  return 0;
}

export const comparePackagist = (a: PackagistVersion, b: PackagistVersion): Order => comparePackagistParts(a.parts, b.parts);

/** The first number (after a leading `v`); undefined for a branch such as `dev-main`. */
export function packagistMajor(v: PackagistVersion): string | undefined {
  const first = v.parts[0] ?? '';
  return isDigits(first) ? stripZeros(first) : undefined;
}
