import { defineScheme } from '../common/define.js';
import { invalidRange } from '../common/errors.js';
import { holds, type Relation } from '../common/operators.js';
import { compareSemverLike, isSemverPrerelease, parseSemverLike, semverMajor, semverOptions, type SemverLike } from '../common/semver-like.js';

const ecosystem = 'Go';

/**
 * Go modules: semantic versions with the `v` prefix (`v1.2.3`, `v1.2` = `v1.2.0`), ordered as
 * `golang.org/x/mod/semver` orders them. Pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`)
 * are pre-releases and sort by their timestamp; `+incompatible` is build metadata and ignored.
 * OSV's Go records drop the `v` (`"fixed": "0.17.0"`), so it is optional here.
 *
 * Go has no range syntax of its own; this scheme reads comparator lists separated by spaces or
 * commas, all of which must hold (`>=v1.2.0, <v1.3.0`), alternatives joined with `||`, and a bare
 * version meaning `=`. Pre-releases get no special treatment, as in Go's own version selection.
 *
 * The major is the first number (`semver.Major` without its `v`; `v2.0.0+incompatible` is major 2).
 * A pre-release is what `semver.Prerelease` calls one: a version with a hyphenated suffix, so every
 * pseudo-version is one (`v0.0.0-2019…`, `v1.2.1-0.2022…`); `+incompatible` is not.
 */
export const goScheme = defineScheme<SemverLike>({
  ecosystem,
  parse: (version) => parseSemverLike(version, semverOptions),
  order: compareSemverLike,
  satisfies: (version, range) =>
    parseGoRange(range).some((all) => all.every(({ relation, bound }) => holds(relation, compareSemverLike(version, bound)))),
  major: semverMajor,
  isPrerelease: isSemverPrerelease,
});

interface GoComparator {
  relation: Relation;
  bound: SemverLike;
}

const operators: Record<string, Relation> = { '>=': '>=', '>': '>', '<=': '<=', '<': '<', '=': '=', '==': '=', '!=': '!=' };

function parseGoRange(range: string): GoComparator[][] {
  return range.split('||').map((alternative) => {
    const tokens = alternative
      .replace(/(>=|<=|==|!=|>|<|=)\s+/g, '$1')
      .split(/[\s,]+/)
      .filter((token) => token !== '');
    if (tokens.length === 0) throw invalidRange(ecosystem, range, 'empty comparator list');
    return tokens.map((token) => {
      const [, written = '', text = ''] = /^(>=|<=|==|!=|>|<|=)?(.*)$/.exec(token) ?? [];
      const bound = parseSemverLike(text, semverOptions);
      const relation = written === '' ? '=' : operators[written];
      if (bound === undefined || relation === undefined) throw invalidRange(ecosystem, range, `cannot read "${token}"`);
      return { relation, bound };
    });
  });
}
