import { defineScheme } from '../common/define.js';
import { compareSemverLike, isSemverPrerelease, parseSemverLike, semverMajor, semverOptions, type SemverLike } from '../common/semver-like.js';
import { cargoMatches, parseCargoRequirement } from './requirement.js';

/**
 * crates.io: SemVer 2.0 order (Cargo's `semver` crate), read as leniently as the npm scheme.
 * Requirements follow Cargo: comma means AND; a bare `1.2` is a caret requirement; `~`, `=`, `>`,
 * `>=`, `<`, `<=`, wildcards `1.*` and `*`; pre-releases match only when a comparator names a
 * pre-release of the same major.minor.patch. A wildcard after an operator (`>=1.*`) reads as the
 * partial version (`>=1`).
 *
 * The major is the first number; a pre-release is a version with pre-release identifiers, as
 * `semver::Version::pre` being non-empty.
 */
export const cratesIoScheme = defineScheme<SemverLike>({
  ecosystem: 'crates.io',
  parse: (version) => parseSemverLike(version, semverOptions),
  order: compareSemverLike,
  satisfies: (version, range) => cargoMatches(parseCargoRequirement(range), version),
  major: semverMajor,
  isPrerelease: isSemverPrerelease,
});
