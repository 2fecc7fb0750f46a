import { defineScheme } from '../common/define.js';
import { invalidRange } from '../common/errors.js';
import { inInterval, parseInterval, type Interval } from '../common/interval.js';
import { compareMaven, isMavenPrerelease, mavenMajor, parseMavenVersion, type MavenVersion } from './version.js';

const ecosystem = 'Maven';

/**
 * Maven: `ComparableVersion` order (see version.ts), the order OSV uses for Maven ranges.
 *
 * Ranges are Maven's version-range specs: `[1.0,2.0)`, `(,1.0]`, `[1.2]` (exactly), `[1.5,)`, and
 * unions of them separated by commas (`(,1.0],[1.2,)`). A bare `1.0` is Maven's soft requirement,
 * which `VersionRange.containsVersion` treats as matching every version; this scheme does the same.
 *
 * The major is the first number; a pre-release carries a qualifier ranked below the release
 * (alpha, beta, milestone, rc/cr, snapshot; see version.ts).
 */
export const mavenScheme = defineScheme<MavenVersion>({
  ecosystem,
  parse: parseMavenVersion,
  order: compareMaven,
  satisfies: (version, range) => {
    const intervals = parseMavenRange(range);
    return intervals === 'soft' || intervals.some((interval) => inInterval(version, interval, compareMaven));
  },
  major: mavenMajor,
  isPrerelease: isMavenPrerelease,
});

function parseMavenRange(range: string): Interval<MavenVersion>[] | 'soft' {
  const text = range.trim();
  if (!text.startsWith('[') && !text.startsWith('(')) {
    if (parseMavenVersion(text) === undefined) throw invalidRange(ecosystem, range);
    return 'soft';
  }
  const fail = (reason: string): Error => invalidRange(ecosystem, range, reason);
  const intervals: Interval<MavenVersion>[] = [];
  let rest = text;
  while (rest !== '') {
    const end = rest.search(/[\])]/);
    if (end < 0) throw fail('an interval is not closed');
    intervals.push(parseInterval(rest.slice(0, end + 1), { parse: parseMavenVersion, order: compareMaven, fail }));
    rest = rest.slice(end + 1).trim();
    if (rest === '') break;
    if (!rest.startsWith(',')) throw fail('intervals must be separated by commas');
    rest = rest.slice(1).trim();
    if (rest === '') throw fail('a comma must be followed by another interval');
  }
  return intervals;
}
