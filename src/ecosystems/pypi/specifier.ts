import { invalidRange } from '../common/errors.js';
import { comparePublic, comparePypi, compareRelease, isPrerelease, parsePep440, type Pep440Version, type PypiVersion } from './version.js';

type SpecifierOp = '~=' | '===' | '==' | '!=' | '<=' | '>=' | '<' | '>';

interface Specifier {
  op: SpecifierOp;
  /** The written version (`===` keeps its text as is). */
  text: string;
  version: Pep440Version | undefined;
  /** `==1.2.*` / `!=1.2.*`. */
  prefix: boolean;
}

const clausePattern = /^(~=|===|==|!=|<=|>=|<|>)\s*(\S+)$/;
const prefixPattern = /^v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*\.\*$/i;
/** Operators whose pre-release version lets pre-releases match (packaging's `Specifier.prereleases`). */
const prereleaseEnabling: ReadonlySet<SpecifierOp> = new Set(['==', '>=', '<=', '~=', '===']);

/** Parses a PEP 440 specifier set: clauses joined by commas, e.g. `>=1.0, !=1.3.*, <2`. */
export function parseSpecifierSet(range: string): Specifier[] {
  const clauses = range.split(',').map((clause) => clause.trim());
  if (clauses.length === 1 && clauses[0] === '') return [];
  return clauses.map((clause) => parseSpecifier(clause, range));
}

function parseSpecifier(clause: string, range: string): Specifier {
  const match = clausePattern.exec(clause);
  const fail = (reason: string): Error => invalidRange('PyPI', range, reason);
  if (match === null) throw fail(`cannot read "${clause}"`);
  const [, op = '', text = ''] = match;
  const specOp = op as SpecifierOp;
  if (specOp === '===') return { op: specOp, text, version: undefined, prefix: false };
  const prefix = prefixPattern.test(text);
  if (prefix && specOp !== '==' && specOp !== '!=') throw fail(`"${clause}": only == and != take a .* suffix`);
  const version = parsePep440(prefix ? text.slice(0, -2) : text);
  if (version === undefined) throw fail(`"${text}" is not a PEP 440 version`);
  if (version.local !== undefined && specOp !== '==' && specOp !== '!=') throw fail(`"${clause}": only == and != take a local version`);
  if (specOp === '~=' && version.release.length < 2) throw fail(`"${clause}": ~= needs at least two release numbers`);
  return { op: specOp, text, version, prefix };
}

/**
 * Whether a version is in a specifier set, following `packaging.specifiers.SpecifierSet.contains`:
 * a pre-release (or dev release) matches only if some `==`, `>=`, `<=`, `~=` or `===` clause names a
 * pre-release; `<V` leaves out pre-releases of V itself and `>V` post-releases and local versions of V.
 * Legacy (non-PEP 440) versions are placed by their order: below every PEP 440 version.
 */
export function specifiersMatch(specifiers: readonly Specifier[], version: PypiVersion): boolean {
  const allowPre = specifiers.some((s) => prereleaseEnabling.has(s.op) && s.version !== undefined && isPrerelease(s.version));
  if (isPrerelease(version) && !allowPre) return false;
  return specifiers.every((specifier) => matchesOne(specifier, version));
}

function matchesOne(specifier: Specifier, candidate: PypiVersion): boolean {
  const { op, version: spec } = specifier;
  if (op === '===') return candidate.text.toLowerCase() === specifier.text.toLowerCase();
  if (spec === undefined) return false;
  if (candidate.kind === 'legacy') return op === '!=' || op === '<' || op === '<=';
  switch (op) {
    case '==':
      return equals(candidate, spec, specifier.prefix);
    case '!=':
      return !equals(candidate, spec, specifier.prefix);
    case '<=':
      return comparePublic(candidate, spec) <= 0;
    case '>=':
      return comparePublic(candidate, spec) >= 0;
    case '~=':
      return comparePublic(candidate, spec) >= 0 && prefixEquals(candidate, { ...spec, release: spec.release.slice(0, -1) });
    case '<':
      return comparePypi(candidate, spec) < 0 && !(!isPrerelease(spec) && isPrerelease(candidate) && sameBase(candidate, spec));
    case '>':
      return (
        comparePypi(candidate, spec) > 0 &&
        !(spec.post === undefined && candidate.post !== undefined && sameBase(candidate, spec)) &&
        !(candidate.local !== undefined && sameBase(candidate, spec))
      );
  }
}

function equals(candidate: Pep440Version, spec: Pep440Version, prefix: boolean): boolean {
  if (prefix) return prefixEquals(candidate, spec);
  if (spec.local !== undefined) return comparePypi(candidate, spec) === 0;
  return comparePublic(candidate, spec) === 0;
}

/** `==1.2.*`: same epoch, and the release (padded with zeros) starts with the written numbers. */
function prefixEquals(candidate: Pep440Version, spec: Pep440Version): boolean {
  if (compareRelease([candidate.epoch], [spec.epoch]) !== 0) return false;
  const head = spec.release.map((_, i) => candidate.release[i] ?? '0');
  return compareRelease(head, spec.release) === 0;
}

const sameBase = (a: Pep440Version, b: Pep440Version): boolean =>
  compareRelease([a.epoch], [b.epoch]) === 0 && compareRelease(a.release, b.release) === 0;
