import { defineScheme } from '../common/define.js';
import { invalidRange } from '../common/errors.js';
import { holds, type Relation } from '../common/operators.js';
import { compareGems, gemBump, gemRelease, isGemPrerelease, parseGemVersion, type GemVersion } from './version.js';

const ecosystem = 'RubyGems';

type GemOp = Relation | '~>';

interface GemRequirement {
  op: GemOp;
  version: GemVersion;
}

/**
 * RubyGems: `Gem::Version` order (numbers and letter segments, `1.0.a2` = `1.0.a.2`, a version
 * with letters is a pre-release and sorts before its release).
 *
 * Ranges are `Gem::Requirement`s: `=`, `!=`, `>`, `<`, `>=`, `<=` and the pessimistic `~> 2.3`
 * (>= 2.3 and < 3.0), several joined by commas, all of which must hold; a bare version means `=`.
 * As `Gem::Requirement#satisfied_by?` does, pre-releases are not filtered out.
 *
 * A pre-release is what `Gem::Version#prerelease?` calls one: any letter segment (`1.0.a`,
 * `2.2.1.rc1`, `1.0-beta`, whose hyphen reads as `.pre.`). The major is the first segment, always
 * a number in a valid gem version (`Gem::Version#segments.first`).
 */
export const rubygemsScheme = defineScheme<GemVersion>({
  ecosystem,
  parse: parseGemVersion,
  order: compareGems,
  satisfies: (version, range) => parseRequirements(range).every((requirement) => satisfiedBy(requirement, version)),
  major: (version) => version.segments[0],
  isPrerelease: isGemPrerelease,
});

const requirementPattern = /^(=|!=|>=|<=|>|<|~>)?\s*(\S+)$/;

function parseRequirements(range: string): GemRequirement[] {
  return range.split(',').map((part) => {
    const [, op = '=', text = ''] = requirementPattern.exec(part.trim()) ?? [];
    const version = parseGemVersion(text);
    if (version === undefined) throw invalidRange(ecosystem, range, `cannot read "${part.trim()}"`);
    return { op: op as GemOp, version };
  });
}

function satisfiedBy({ op, version: bound }: GemRequirement, version: GemVersion): boolean {
  const order = compareGems(version, bound);
  if (op !== '~>') return holds(op, order);
  return order >= 0 && compareGems(gemRelease(version), gemBump(bound)) < 0;
}
