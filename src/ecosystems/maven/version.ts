import { compareDigits, compareText, type Order } from '../common/digits.js';

/**
 * Maven's version order (the "Version Order Specification" of the POM reference, as
 * `ComparableVersion` implements it). A version splits into tokens at `.`, `-` and at every
 * switch between digits and letters (which counts as `-`); each token remembers its separator.
 */
export interface MavenToken {
  separator: '.' | '-';
  /** Digits without leading zeros, or a lower-case qualifier with aliases resolved. */
  value: string;
  numeric: boolean;
  /** Filler added while comparing to a longer version: 0 after `.`, the empty qualifier after `-`. */
  padding?: true;
}

export type MavenVersion = readonly MavenToken[];

/** Qualifiers with a fixed rank; any other qualifier ranks after them, alphabetically. */
const knownQualifiers = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
/** The qualifiers ranked before the release (""): alpha, beta, milestone, rc (and cr), snapshot. */
const prereleaseQualifiers: ReadonlySet<string> = new Set(knownQualifiers.slice(0, knownQualifiers.indexOf('')));
/** Versions are coordinates: no whitespace, and none of the characters of the range syntax. */
const validPattern = /^[^\s[\](),]+$/;

export function parseMavenVersion(input: string): MavenVersion | undefined {
  const text = input.trim().toLowerCase();
  if (!validPattern.test(text)) return undefined;
  const tokens: MavenToken[] = [];
  let separator: '.' | '-' = '.';
  for (const piece of text.split(/([.-])/)) {
    if (piece === '.' || piece === '-') {
      separator = piece;
      continue;
    }
    const parts = piece === '' ? ['0'] : (piece.match(/\d+|\D+/g) ?? ['0']);
    parts.forEach((part, index) => {
      const followedByDigits = index < parts.length - 1;
      tokens.push(token(index === 0 ? separator : '-', part, followedByDigits));
    });
  }
  return trimNulls(tokens);
}

function token(separator: '.' | '-', part: string, followedByDigits: boolean): MavenToken {
  if (/^\d/.test(part)) return { separator, value: compareDigits(part, '0') === 0 ? '0' : part.replace(/^0+/, ''), numeric: true };
  return { separator, value: qualifierAlias(part, followedByDigits), numeric: false };
}

function qualifierAlias(qualifier: string, followedByDigits: boolean): string {
  if (qualifier === 'cr') return 'rc';
  if (qualifier === 'ga' || qualifier === 'final' || qualifier === 'release') return '';
  if (followedByDigits) {
    if (qualifier === 'a') return 'alpha';
    if (qualifier === 'b') return 'beta';
    if (qualifier === 'm') return 'milestone';
  }
  return qualifier;
}

const isNull = (t: MavenToken): boolean => (t.numeric ? t.value === '0' : t.value === '');

/** Drops trailing null tokens (0, "", ga, final), then again before each earlier hyphen. */
function trimNulls(tokens: MavenToken[]): MavenToken[] {
  let i = tokens.length - 1;
  while (i > 0) {
    const current = tokens[i];
    if (current !== undefined && isNull(current)) {
      tokens.splice(i, 1);
      i--;
      continue;
    }
    while (i >= 0 && tokens[i]?.separator !== '-') i--;
    i--;
  }
  return tokens;
}

export function compareMaven(a: MavenVersion, b: MavenVersion): Order {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const left = a[i] ?? padFor(b[i]);
    const right = b[i] ?? padFor(a[i]);
    const order = compareTokens(left, right);
    if (order !== 0) return order;
  }
  return 0;
}

function padFor(other: MavenToken | undefined): MavenToken {
  if (other?.separator === '-') return { separator: '-', value: '', numeric: false, padding: true };
  return { separator: '.', value: '0', numeric: true, padding: true };
}

function compareTokens(x: MavenToken, y: MavenToken): Order {
  if (x.separator !== y.separator) return compareRanks(rank(x), rank(y));
  if (x.numeric && y.numeric) return compareDigits(x.value, y.value);
  if (x.numeric !== y.numeric) {
    // A padded 0 stands for "nothing here", which ranks as the release qualifier "".
    if (x.numeric && x.padding) return compareQualifiers('', y.value);
    if (y.numeric && y.padding) return compareQualifiers(x.value, '');
    return x.numeric ? 1 : -1;
  }
  return compareQualifiers(x.value, y.value);
}

/** When separators differ: `.qualifier` < `-qualifier` < `-number` < `.number`. */
function rank(t: MavenToken): number {
  if (t.numeric) return t.separator === '.' ? 3 : 2;
  return t.separator === '-' ? 1 : 0;
}

const compareRanks = (a: number, b: number): Order => (a < b ? -1 : a > b ? 1 : 0);

function compareQualifiers(a: string, b: string): Order {
  const rankA = knownQualifiers.indexOf(a);
  const rankB = knownQualifiers.indexOf(b);
  if (rankA >= 0 || rankB >= 0) {
    return compareRanks(rankA < 0 ? knownQualifiers.length : rankA, rankB < 0 ? knownQualifiers.length : rankB);
  }
  return compareText(a, b);
}

/**
 * A pre-release in `ComparableVersion`'s terms: a qualifier ranked below the release, anywhere in
 * the version (`1.0-alpha-1`, `1.0-M1`, `1.0-CR2`, `1.0-SNAPSHOT`, `2.0-beta9`). Other qualifiers
 * (`sp`, `foo`, `RELEASE`) rank at or above the release and are not pre-releases.
 */
export const isMavenPrerelease = (v: MavenVersion): boolean => v.some((t) => !t.numeric && prereleaseQualifiers.has(t.value));

/** The first number (`ArtifactVersion.getMajorVersion`), or undefined when the version starts with a qualifier. */
export function mavenMajor(v: MavenVersion): string | undefined {
  const first = v[0];
  return first?.numeric === true ? first.value : undefined;
}
