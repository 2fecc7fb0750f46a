import { invalidRange } from '../common/errors.js';
import { holds, type Relation } from '../common/operators.js';
import { bumpVersion, modifierSource, normalizeComposer } from './normalize.js';
import { canonicalParts, comparePackagistParts } from './version.js';

/** One comparison against a Composer-normalised version (`>= 1.2.0.0-dev`), or "anything". */
export type ComposerConstraint = { relation: Relation; version: string } | 'any';

/** Number groups 1-4, stability 5, its number 6, `-dev` 7, `.x-dev` 8 (Composer's versionRegex). */
const versionSource = `v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?(?:${modifierSource}|\\.([xX*][.-]?dev))(?:\\+[^\\s]+)?`;
const tildePattern = new RegExp(`^~>?${versionSource}$`, 'i');
const caretPattern = new RegExp(`^\\^${versionSource}$`, 'i');
const wildcardPattern = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.[xX*])+$/;
const hyphenPattern = new RegExp(`^(${versionSource}) +- +(${versionSource})$`, 'i');
const operatorPattern = /^(<>|!=|>=?|<=?|==?)?\s*(.*)$/;
const hyphenModifierPattern = new RegExp(`-${modifierSource}$`);
const relations: Record<string, Relation> = { '<>': '!=', '!=': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=', '=': '=', '==': '=' };

/**
 * Composer's `VersionParser::parseConstraints`: `||` (or `|`) separates alternatives, a comma or
 * space separates constraints that must all hold. Each alternative is a list of comparisons.
 */
export function parseComposerConstraints(range: string): ComposerConstraint[][] {
  const fail = (reason: string): Error => invalidRange('Packagist', range, reason);
  const text = range.trim().replace(/\s+/g, ' ');
  if (text === '') throw fail('empty constraint');
  return text.split(/ ?\|\|? ?/).map((alternative) => {
    const pieces = alternative.split(/(?<![=>< ,]) *(?<!-)[, ](?!-) *(?![, ]|$)/);
    return pieces.flatMap((piece) => parseOne(piece.trim(), fail));
  });
}

function parseOne(input: string, fail: (reason: string) => Error): ComposerConstraint[] {
  let constraint = input;
  let stabilityFlag: string | undefined;
  const flagged = /^([^,\s]*?)@(stable|RC|beta|alpha|dev)$/i.exec(constraint);
  if (flagged !== null) {
    constraint = flagged[1] === '' ? '*' : (flagged[1] ?? '*');
    if (flagged[2]?.toLowerCase() !== 'stable') stabilityFlag = flagged[2];
  }
  constraint = constraint.replace(/^(dev-[^,\s@]+?|[^,\s@]+?\.x-dev)#.+$/i, '$1');
  const wild = /^(v)?[xX*](\.[xX*])*$/i.exec(constraint);
  if (wild !== null) return wild[1] === undefined && wild[2] === undefined ? ['any'] : [{ relation: '>=', version: '0.0.0.0-dev' }];
  const normalize = (text: string): string => {
    const normal = normalizeComposer(text);
    if (normal === undefined) throw fail(`"${text}" is not a version Composer can read`);
    return normal;
  };
  const unstable = (m: RegExpExecArray, offset = 0): boolean => [5, 7, 8].some((i) => (m[i + offset] ?? '') !== '');
  const lastGiven = (m: RegExpExecArray): number => [4, 3, 2].find((i) => (m[i] ?? '') !== '') ?? 1;

  const tilde = tildePattern.exec(constraint);
  if (tilde !== null) {
    if (constraint.startsWith('~>')) throw fail('"~>" is not a Composer operator; "~" is');
    const position = lastGiven(tilde) + ((tilde[8] ?? '') !== '' ? 1 : 0);
    const low = normalize(constraint.slice(1) + (unstable(tilde) ? '' : '-dev'));
    return [
      { relation: '>=', version: low },
      { relation: '<', version: `${bumpVersion(tilde.slice(1, 5), Math.max(1, position - 1), true)}-dev` },
    ];
  }
  const caret = caretPattern.exec(constraint);
  if (caret !== null) {
    const [major, minor = '', patch = ''] = caret.slice(1, 4);
    const position = major !== '0' || minor === '' ? 1 : minor !== '0' || patch === '' ? 2 : 3;
    const low = normalize(constraint.slice(1) + (unstable(caret) ? '' : '-dev'));
    return [
      { relation: '>=', version: low },
      { relation: '<', version: `${bumpVersion(caret.slice(1, 5), position, true)}-dev` },
    ];
  }
  const wildcard = wildcardPattern.exec(constraint);
  if (wildcard !== null) {
    const position = lastGiven(wildcard);
    const low = `${bumpVersion(wildcard.slice(1, 4), position, false)}-dev`;
    const high: ComposerConstraint = { relation: '<', version: `${bumpVersion(wildcard.slice(1, 4), position, true)}-dev` };
    return low === '0.0.0.0-dev' ? [high] : [{ relation: '>=', version: low }, high];
  }
  const hyphen = hyphenPattern.exec(constraint);
  if (hyphen !== null) return hyphenRange(hyphen, normalize, unstable);
  const basic = operatorPattern.exec(constraint);
  const [, written = '', rest = ''] = basic ?? [];
  let version = normalizeBasic(rest, normalize);
  if (written !== '' && written !== '=' && written !== '==' && stabilityFlag !== undefined && isStable(version)) {
    version += `-${stabilityFlag}`;
  } else if ((written === '<' || written === '>=') && !hyphenModifierPattern.test(rest.toLowerCase()) && !rest.startsWith('dev-')) {
    version += '-dev';
  }
  return [{ relation: relations[written === '' ? '=' : written] ?? '=', version }];
}

/** `1.0 - 2.0` means `>=1.0.0.0-dev <2.1.0.0-dev`; `1.0.0 - 2.1.0` means `>=1.0.0.0-dev <=2.1.0.0`. */
function hyphenRange(
  m: RegExpExecArray,
  normalize: (text: string) => string,
  unstable: (m: RegExpExecArray, offset?: number) => boolean,
): ComposerConstraint[] {
  const from = m[1] ?? '';
  const to = m[10] ?? '';
  const lower: ComposerConstraint = { relation: '>=', version: normalize(from) + (unstable(m, 1) ? '' : '-dev') };
  const [toMajor, toMinor = '', toPatch = ''] = m.slice(11, 14);
  if ((toMinor !== '' && toPatch !== '') || unstable(m, 10)) return [lower, { relation: '<=', version: normalize(to) }];
  normalize(to);
  return [lower, { relation: '<', version: `${bumpVersion([toMajor, toMinor], toMinor === '' ? 1 : 2, true)}-dev` }];
}

/** `foo-dev` is Composer's old spelling of the branch `dev-foo`. */
function normalizeBasic(text: string, normalize: (text: string) => string): string {
  const normal = normalizeComposer(text);
  if (normal !== undefined) return normal;
  if (text.endsWith('-dev') && /^[0-9a-zA-Z./-]+$/.test(text)) return normalize(`dev-${text.slice(0, -4)}`);
  return normalize(text);
}

const isStable = (normalized: string): boolean => !/-(dev|alpha|beta|rc)|^dev-/i.test(normalized);

/**
 * Composer's `Constraint::matchSpecific`: version_compare on normalised versions; a branch
 * (`dev-main`) equals only itself and is neither above nor below any version.
 */
export function constraintHolds(constraint: ComposerConstraint, normalizedVersion: string): boolean {
  if (constraint === 'any') return true;
  const { relation, version } = constraint;
  if (version.startsWith('dev-') || normalizedVersion.startsWith('dev-')) {
    if (relation === '=') return version === normalizedVersion;
    return relation === '!=' && version !== normalizedVersion;
  }
  return holds(relation, comparePackagistParts(canonicalParts(normalizedVersion), canonicalParts(version)));
}
