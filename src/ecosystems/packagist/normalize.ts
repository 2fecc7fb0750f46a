import { incrementDigits } from '../common/digits.js';

/**
 * Composer's `VersionParser::normalize`, which Composer applies to both sides before comparing
 * a version with a constraint: `v1.2` → `1.2.0.0`, `1.0-b2` → `1.0.0.0-beta2`, `1.0-p1` →
 * `1.0.0.0-patch1`, `dev-main` stays a branch, `1.x-dev` → `1.9999999.9999999.9999999-dev`.
 * Returns undefined for what Composer rejects.
 */
export function normalizeComposer(input: string): string | undefined {
  let text = input.trim().replace(/@(?:stable|RC|beta|alpha|dev)$/i, '');
  if (text === 'master' || text === 'trunk' || text === 'default') text = `dev-${text}`;
  if (/^dev-/i.test(text)) return `dev-${text.slice(4)}`;
  text = text.replace(/^([^,\s+]+)\+\S+$/, '$1');
  const classical = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${modifierSource}$`, 'i').exec(text);
  if (classical !== null) {
    const [, major = '0', minor, patch, fourth] = classical;
    return withModifier(`${major}${minor ?? '.0'}${patch ?? '.0'}${fourth ?? '.0'}`, classical.slice(5));
  }
  const dated = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${modifierSource}$`, 'i').exec(text);
  if (dated !== null) return withModifier((dated[1] ?? '').replace(/\D/g, '.'), dated.slice(2));
  const branch = /^(.*?)[.-]?dev$/i.exec(text);
  if (branch !== null) {
    const numeric = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/.exec((branch[1] ?? '').trim());
    if (numeric !== null) {
      const parts = [numeric[1], numeric[2], numeric[3], numeric[4]].map((part, i) => (i === 0 ? part : (part ?? '.x')));
      return `${parts.join('').replace(/[xX*]/g, '9999999')}-dev`;
    }
  }
  return undefined;
}

/**
 * Composer's modifier: stability word, its number, `-dev`. The number part is written without
 * Composer's possessive quantifier but unambiguously, so it cannot backtrack exponentially.
 */
export const modifierSource = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+(?:[.-]\\d+)*))?)?([.-]?dev)?';

const stabilityNames: Record<string, string> = { a: 'alpha', b: 'beta', p: 'patch', pl: 'patch', rc: 'RC' };

function withModifier(version: string, [stability, number, dev]: (string | undefined)[]): string {
  let result = version;
  if (stability !== undefined && stability !== '') {
    const lower = stability.toLowerCase();
    if (lower === 'stable') return result;
    result += `-${stabilityNames[lower] ?? lower}${(number ?? '').replace(/^[.-]+/, '')}`;
  }
  if (dev !== undefined && dev !== '') result += '-dev';
  return result;
}

/** Composer's `manipulateVersionString`: keep numbers up to `position`, bump it, zero the rest. */
export function bumpVersion(numbers: readonly (string | undefined)[], position: number, increment: boolean): string {
  const parts = [0, 1, 2, 3].map((i) => {
    if (i + 1 > position) return '0';
    const value = numbers[i] ?? '0';
    return i + 1 === position && increment ? incrementDigits(value) : value;
  });
  return parts.join('.');
}
