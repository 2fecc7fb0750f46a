import { defineScheme } from '../common/define.js';
import { invalidRange } from '../common/errors.js';
import { holds, type Relation } from '../common/operators.js';
import { compareDebian, debianMajor, isDebianPrerelease, parseDebianVersion, type DebianVersion } from './version.js';

const ecosystem = 'Debian';

/**
 * Debian: dpkg's version order (epoch, then upstream and revision by `verrevcmp`, where `~` sorts
 * before everything, so `1.0~rc1` < `1.0`). Serves every `Debian:<release>` OSV ecosystem.
 *
 * Ranges are the relations of a Depends field: `<<`, `<=`, `=`, `>=`, `>>` (and the obsolete `<`
 * and `>`, which dpkg reads as `<=` and `>=`), optionally in parentheses, joined by commas (all
 * must hold) and `|` (any may hold); a bare version means `=`.
 *
 * Debian defines neither majors nor pre-releases; see version.ts for the readings used here (the
 * leading upstream number behind a non-zero epoch; a `~` in the upstream version).
 */
export const debianScheme = defineScheme<DebianVersion>({
  ecosystem,
  parse: parseDebianVersion,
  order: compareDebian,
  satisfies: (version, range) =>
    parseRelations(range).some((all) => all.every(({ relation, bound }) => holds(relation, compareDebian(version, bound)))),
  major: debianMajor,
  isPrerelease: isDebianPrerelease,
});

const relations: Record<string, Relation> = { '<<': '<', '<=': '<=', '=': '=', '>=': '>=', '>>': '>', '<': '<=', '>': '>=' };
const relationPattern = /^(?:\(\s*(<<|<=|>=|>>|=|<|>)?\s*([^\s()]+)\s*\)|(<<|<=|>=|>>|=|<|>)?\s*([^\s()]+))$/;

function parseRelations(range: string): { relation: Relation; bound: DebianVersion }[][] {
  return range.split('|').map((alternative) =>
    alternative.split(',').map((part) => {
      const match = relationPattern.exec(part.trim()) ?? [];
      const written = match[1] ?? match[3] ?? '=';
      const text = match[2] ?? match[4] ?? '';
      const bound = parseDebianVersion(text);
      const relation = relations[written];
      if (bound === undefined || relation === undefined) throw invalidRange(ecosystem, range, `cannot read "${part.trim()}"`);
      return { relation, bound };
    }),
  );
}
