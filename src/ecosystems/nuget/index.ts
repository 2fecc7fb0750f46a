import { defineScheme } from '../common/define.js';
import { invalidRange } from '../common/errors.js';
import { inInterval, parseInterval, type Interval } from '../common/interval.js';
import {
  compareSemverLike,
  isSemverPrerelease,
  parseSemverLike,
  semverMajor,
  type SemverLike,
  type SemverLikeOptions,
} from '../common/semver-like.js';

const ecosystem = 'NuGet';
const options: SemverLikeOptions = { size: 4, allowLeadingV: false, foldCase: true };
const parse = (version: string): SemverLike | undefined => parseSemverLike(version, options);

/**
 * NuGet: NuGetVersion order, SemVer 2.0 with an optional fourth number (`1.0` = `1.0.0.0`,
 * `1.0.01` = `1.0.1`), pre-release labels compared case-insensitively, build metadata ignored.
 *
 * Ranges are NuGet's interval notation: `[1.0,2.0)`, `(,1.0]`, `[1.0]` (exactly), `(1.0,)`, and a
 * bare `1.0` meaning `>= 1.0`. Pre-releases are not filtered: NuGet's `VersionRange.Satisfies`
 * only checks the bounds (pre-release policy belongs to the resolver). Floating ranges (`1.*`)
 * are not accepted.
 *
 * The major is the first number (`NuGetVersion.Major`); a pre-release is a version with a release
 * label (`NuGetVersion.IsPrerelease`: `1.0.0-beta`, `1.0.0.1-alpha`), build metadata aside.
 */
export const nugetScheme = defineScheme<SemverLike>({
  ecosystem,
  parse,
  order: compareSemverLike,
  satisfies: (version, range) => inInterval(version, parseNuGetRange(range), compareSemverLike),
  major: semverMajor,
  isPrerelease: isSemverPrerelease,
});

function parseNuGetRange(range: string): Interval<SemverLike> {
  const text = range.trim();
  if (text.startsWith('[') || text.startsWith('(')) {
    return parseInterval(text, { parse, order: compareSemverLike, fail: (reason) => invalidRange(ecosystem, range, reason) });
  }
  const minimum = parse(text);
  if (minimum === undefined) throw invalidRange(ecosystem, range);
  return { lower: { version: minimum, inclusive: true }, upper: undefined };
}
