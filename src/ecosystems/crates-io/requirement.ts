import { compareDigits } from '../common/digits.js';
import { invalidRange } from '../common/errors.js';
import { comparePrerelease, type SemverLike } from '../common/semver-like.js';

/** Cargo's comparator operators; `*` is a partial wildcard such as `1.*`, `any` the lone `*`. */
type CargoOp = '=' | '>' | '>=' | '<' | '<=' | '~' | '^' | '*' | 'any';

/** One comparator of a Cargo requirement; absent minor/patch were omitted or written as `*`. */
export interface CargoComparator {
  op: CargoOp;
  major: string;
  minor: string | undefined;
  patch: string | undefined;
  pre: readonly string[];
}

const comparatorPattern = /^(=|>=|<=|>|<|~|\^)?\s*v?(\d+|[*xX])(?:\.(\d+|[*xX]))?(?:\.(\d+|[*xX]))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const isWildcard = (part: string | undefined): boolean => part === '*' || part === 'x' || part === 'X';

/** Parses `>=1.2, <1.5`, `~1.2.3`, `1.2` (caret), `=1.0.0-beta`, `1.*`, `*`. */
export function parseCargoRequirement(range: string): CargoComparator[] {
  const parts = range.split(',').map((part) => part.trim());
  return parts.map((part) => {
    const match = comparatorPattern.exec(part);
    if (match === null) throw invalidRange('crates.io', range, `cannot read comparator "${part}"`);
    const [, written, major = '', minor, patch, pre] = match;
    if (isWildcard(major)) {
      if (written !== undefined || minor !== undefined) throw invalidRange('crates.io', range, 'a bare "*" stands alone');
      return { op: 'any', major: '0', minor: undefined, patch: undefined, pre: [] };
    }
    const wildcard = isWildcard(minor) || isWildcard(patch);
    if (isWildcard(minor) && patch !== undefined && !isWildcard(patch)) {
      throw invalidRange('crates.io', range, 'a number cannot follow a wildcard');
    }
    if (pre !== undefined && (patch === undefined || wildcard)) {
      throw invalidRange('crates.io', range, 'a pre-release needs a full major.minor.patch');
    }
    const op: CargoOp = written === undefined ? (wildcard ? '*' : '^') : (written as CargoOp);
    return {
      op,
      major,
      minor: isWildcard(minor) ? undefined : minor,
      patch: isWildcard(patch) ? undefined : patch,
      pre: pre === undefined ? [] : pre.split('.'),
    };
  });
}

/**
 * Cargo's rules (the `semver` crate's `VersionReq::matches`): every comparator must match, and a
 * pre-release version matches only if some comparator names a pre-release of the same
 * major.minor.patch.
 */
export function cargoMatches(comparators: readonly CargoComparator[], version: SemverLike): boolean {
  if (!comparators.every((comparator) => matchesOne(comparator, version))) return false;
  if (version.prerelease.length === 0) return true;
  return comparators.some(
    (c) =>
      c.pre.length > 0 &&
      c.minor !== undefined &&
      same(c.minor, version.core[1]) &&
      c.patch !== undefined &&
      same(c.patch, version.core[2]) &&
      same(c.major, version.core[0]),
  );
}

const same = (a: string, b: string | undefined): boolean => compareDigits(a, b ?? '0') === 0;

function matchesOne(c: CargoComparator, v: SemverLike): boolean {
  switch (c.op) {
    case 'any':
      return true;
    case '*':
      return wildcard(c, v);
    case '=':
      return exact(c, v);
    case '>':
      return greater(c, v);
    case '>=':
      return exact(c, v) || greater(c, v);
    case '<':
      return less(c, v);
    case '<=':
      return exact(c, v) || less(c, v);
    case '~':
      return tilde(c, v);
    case '^':
      return caret(c, v);
  }
}

/** Compares version part `index` against a written comparator part: -1, 0 or 1. */
const part = (v: SemverLike, index: number, written: string): number => compareDigits(v.core[index] ?? '0', written);

function wildcard(c: CargoComparator, v: SemverLike): boolean {
  return part(v, 0, c.major) === 0 && (c.minor === undefined || part(v, 1, c.minor) === 0);
}

function exact(c: CargoComparator, v: SemverLike): boolean {
  if (part(v, 0, c.major) !== 0) return false;
  if (c.minor !== undefined && part(v, 1, c.minor) !== 0) return false;
  if (c.patch !== undefined && part(v, 2, c.patch) !== 0) return false;
  return comparePrerelease(v.prerelease, c.pre) === 0;
}

/** Shared walk of `>` and `<`: decides on the first differing written part, else on pre-release. */
function beyond(c: CargoComparator, v: SemverLike, direction: 1 | -1): boolean {
  const written = [c.major, c.minor, c.patch];
  for (let i = 0; i < 3; i++) {
    const value = written[i];
    if (value === undefined) return false;
    const order = part(v, i, value);
    if (order !== 0) return order === direction;
  }
  return comparePrerelease(v.prerelease, c.pre) === direction;
}

const greater = (c: CargoComparator, v: SemverLike): boolean => beyond(c, v, 1);
const less = (c: CargoComparator, v: SemverLike): boolean => beyond(c, v, -1);

function tilde(c: CargoComparator, v: SemverLike): boolean {
  if (part(v, 0, c.major) !== 0) return false;
  if (c.minor !== undefined && part(v, 1, c.minor) !== 0) return false;
  if (c.patch !== undefined) {
    const order = part(v, 2, c.patch);
    if (order !== 0) return order > 0;
  }
  return comparePrerelease(v.prerelease, c.pre) >= 0;
}

function caret(c: CargoComparator, v: SemverLike): boolean {
  if (part(v, 0, c.major) !== 0) return false;
  if (c.minor === undefined) return true;
  const majorZero = compareDigits(c.major, '0') === 0;
  if (c.patch === undefined) return majorZero ? part(v, 1, c.minor) === 0 : part(v, 1, c.minor) >= 0;
  const minorOrder = part(v, 1, c.minor);
  const patchOrder = part(v, 2, c.patch);
  if (!majorZero) {
    if (minorOrder !== 0) return minorOrder > 0;
    if (patchOrder !== 0) return patchOrder > 0;
  } else if (compareDigits(c.minor, '0') !== 0) {
    if (minorOrder !== 0) return false;
    if (patchOrder !== 0) return patchOrder > 0;
  } else if (minorOrder !== 0 || patchOrder !== 0) {
    return false;
  }
  return comparePrerelease(v.prerelease, c.pre) >= 0;
}
