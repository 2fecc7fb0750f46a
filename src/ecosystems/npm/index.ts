import semver from 'semver';
import { defineScheme } from '../common/define.js';
import { invalidRange } from '../common/errors.js';
import { holds, type Relation } from '../common/operators.js';
import {
  compareCore,
  compareSemverLike,
  isSemverPrerelease,
  parseSemverLike,
  semverMajor,
  semverOptions,
  type SemverLike,
} from '../common/semver-like.js';

const ecosystem = 'npm';

interface Bound {
  relation: Relation;
  version: SemverLike;
}

/**
 * npm: SemVer 2.0 ordered as node-semver orders it, read leniently (`v` prefix, huge numbers,
 * missing minor/patch) because OSV data and its reference fixtures hold such versions.
 *
 * Ranges use node-semver's own grammar (`^1.2.0 || 2.x`, `1.2 - 1.4`, `~1.2`, `>=1 <2`): the
 * `semver` package desugars them into comparator sets and this scheme evaluates those with its
 * own order, so a 30-digit version still compares. As in npm, a pre-release satisfies a range only
 * when one of the comparators of the matching set names a pre-release of the same major.minor.patch
 * (`1.3.0-beta` is not in `^1.2.0`, it is in `>=1.3.0-alpha <2`).
 *
 * The major is the first number; a pre-release is a version with pre-release identifiers
 * (`1.0.0-rc.1`, and leniently `1.0.0rc1`), node-semver's `prerelease()` being non-empty.
 */
export const npmScheme = defineScheme<SemverLike>({
  ecosystem,
  parse: (version) => parseSemverLike(version, semverOptions),
  order: compareSemverLike,
  satisfies: (version, range) => desugar(range).some((set) => setAccepts(set, version)),
  major: semverMajor,
  isPrerelease: isSemverPrerelease,
});

function desugar(range: string): Bound[][] {
  let parsed: semver.Range;
  try {
    parsed = new semver.Range(range);
  } catch (error) {
    throw invalidRange(ecosystem, range, error instanceof Error ? error.message : undefined);
  }
  return parsed.set.map((comparators) =>
    comparators.flatMap((comparator): Bound[] => {
      if (comparator.value === '') return [];
      const version = parseSemverLike(comparator.semver.version, semverOptions);
      if (version === undefined) throw invalidRange(ecosystem, range);
      const relation: Relation = comparator.operator === '' ? '=' : comparator.operator;
      return [{ relation, version }];
    }),
  );
}

function setAccepts(set: readonly Bound[], version: SemverLike): boolean {
  if (!set.every((bound) => holds(bound.relation, compareSemverLike(version, bound.version)))) return false;
  if (version.prerelease.length === 0) return true;
  return set.some((bound) => bound.version.prerelease.length > 0 && compareCore(bound.version, version) === 0);
}
