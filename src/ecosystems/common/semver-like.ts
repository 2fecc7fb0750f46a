import { compareDigits, compareText, isDigits, stripZeros, type Order } from './digits.js';

/**
 * A version shaped like SemVer 2.0 (`1.2.3-beta.1+build`), read leniently the way OSV tooling
 * reads npm, crates.io, Go and NuGet data: an optional `v`, missing minor/patch numbers taken as 0,
 * numbers of any length, and a pre-release without its hyphen (`1.0.0rc1`).
 */
export interface SemverLike {
  /** Digit strings, exactly `size` of them (padded with "0"). */
  readonly core: readonly string[];
  /** Dot-separated pre-release identifiers; empty for a release. */
  readonly prerelease: readonly string[];
  /**
   * Build metadata, which never affects order. Numbers past `size` (`1.1.3.4.5`) land here too:
   * no tool orders such versions, and OSV's reference comparator treats them as build text.
   */
  readonly build: string;
}

export interface SemverLikeOptions {
  /** How many numbers count toward precedence: 3 for SemVer, 4 for NuGet. */
  size: number;
  allowLeadingV: boolean;
  /** NuGet compares pre-release labels case-insensitively. */
  foldCase: boolean;
}

/** npm, crates.io and Go: three numbers, and the `v` that OSV data sometimes carries. */
export const semverOptions: SemverLikeOptions = { size: 3, allowLeadingV: true, foldCase: false };

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const identifiers = /^[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*$/;

/** Hand-written scanner rather than one regex: a regex here backtracks badly on long near-misses. */
export function parseSemverLike(input: string, options: SemverLikeOptions): SemverLike | undefined {
  const text = input.trim();
  let i = options.allowLeadingV && (text[0] === 'v' || text[0] === 'V') ? 1 : 0;
  const numbers: string[] = [];
  while (isDigit(text[i])) {
    const start = i;
    while (isDigit(text[i])) i++;
    numbers.push(text.slice(start, i));
    if (text[i] === '.' && isDigit(text[i + 1])) i++;
    else break;
  }
  if (numbers.length === 0) return undefined;
  let rest = text.slice(i);
  let build = numbers.slice(options.size).join('.');
  const plus = rest.indexOf('+');
  if (plus >= 0) {
    const metadata = rest.slice(plus + 1);
    if (!identifiers.test(metadata)) return undefined;
    build = build === '' ? metadata : `${build}.${metadata}`;
    rest = rest.slice(0, plus);
  }
  if (rest.startsWith('-')) {
    rest = rest.slice(1);
    if (!identifiers.test(rest)) return undefined;
  } else if (rest !== '' && !(/^[A-Za-z]/.test(rest) && identifiers.test(rest))) {
    return undefined;
  }
  const core = numbers.slice(0, options.size);
  while (core.length < options.size) core.push('0');
  const label = options.foldCase ? rest.toLowerCase() : rest;
  return { core, prerelease: label === '' ? [] : label.split('.'), build };
}

export function compareCore(a: SemverLike, b: SemverLike): Order {
  const length = Math.max(a.core.length, b.core.length);
  for (let i = 0; i < length; i++) {
    const order = compareDigits(a.core[i] ?? '0', b.core[i] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

/** SemVer 2.0 §11: a release outranks its pre-releases; identifiers compare one by one. */
export function comparePrerelease(a: readonly string[], b: readonly string[]): Order {
  if (a.length === 0 || b.length === 0) {
    if (a.length === b.length) return 0;
    return a.length === 0 ? 1 : -1;
  }
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareIdentifier(a[i] ?? '', b[i] ?? '');
    if (order !== 0) return order;
  }
  return compareDigits(String(a.length), String(b.length));
}

function compareIdentifier(a: string, b: string): Order {
  const aNumeric = isDigits(a);
  const bNumeric = isDigits(b);
  if (aNumeric && bNumeric) return compareDigits(a, b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return compareText(a, b);
}

export function compareSemverLike(a: SemverLike, b: SemverLike): Order {
  return compareCore(a, b) || comparePrerelease(a.prerelease, b.prerelease);
}

/** The first number without leading zeros: SemVer's major (`v01.2.3` → `1`). */
export const semverMajor = (v: SemverLike): string => stripZeros(v.core[0] ?? '0');

/** SemVer 2.0 §9: a hyphen and identifiers after the numbers make a pre-release; build metadata does not. */
export const isSemverPrerelease = (v: SemverLike): boolean => v.prerelease.length > 0;
