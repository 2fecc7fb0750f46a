import { compareDigits, compareText, isDigits, stripZeros, type Order } from '../common/digits.js';
import { compareLegacy, parseLegacy, type LegacyVersion } from './legacy.js';

/** A PEP 440 version, normalised: lower case, alternative spellings folded, numbers as digits. */
export interface Pep440Version {
  kind: 'pep440';
  text: string;
  epoch: string;
  release: readonly string[];
  pre: { label: 'a' | 'b' | 'rc'; number: string } | undefined;
  post: string | undefined;
  dev: string | undefined;
  local: readonly string[] | undefined;
}

export type PypiVersion = Pep440Version | LegacyVersion;

/** PEP 440, Appendix B: the canonical pattern, applied case-insensitively to the trimmed text. */
export const pep440Pattern =
  /^v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\.[0-9]+)*)(?<pre>[-_.]?(?<preL>alpha|beta|preview|pre|a|b|c|rc)[-_.]?(?<preN>[0-9]+)?)?(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?)(?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;

const preLabels: Record<string, 'a' | 'b' | 'rc'> = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };

export function parsePep440(input: string): Pep440Version | undefined {
  const text = input.trim();
  const groups = pep440Pattern.exec(text)?.groups;
  if (groups === undefined) return undefined;
  const { epoch, release = '0', preL, preN, post, postN1, postN2, dev, devN, local } = groups;
  const label = preL === undefined ? undefined : preLabels[preL.toLowerCase()];
  return {
    kind: 'pep440',
    text,
    epoch: epoch ?? '0',
    release: release.split('.'),
    pre: label === undefined ? undefined : { label, number: preN ?? '0' },
    post: post === undefined ? undefined : (postN1 ?? postN2 ?? '0'),
    dev: dev === undefined ? undefined : (devN ?? '0'),
    local: local?.toLowerCase().split(/[-_.]/),
  };
}

export function parsePypiVersion(input: string): PypiVersion | undefined {
  return parsePep440(input) ?? parseLegacy(input.trim());
}

/**
 * `packaging`'s `Version.is_prerelease`: a pre-release (`a`, `b`, `rc`) or a dev release, whether
 * or not a post release is part of it (`1.0.post1.dev0` is one); post releases alone (`1.0.post1`)
 * are not. Legacy versions never are, as `LegacyVersion.is_prerelease` answered.
 */
export const isPrerelease = (v: PypiVersion): boolean => v.kind === 'pep440' && (v.pre !== undefined || v.dev !== undefined);

/**
 * `Version.major` (the first release number), with a non-zero epoch in front (`1!2.0` → `1!2`):
 * an epoch restarts the numbering. Legacy versions have no major, as `LegacyVersion` had none.
 */
export function pypiMajor(v: PypiVersion): string | undefined {
  if (v.kind === 'legacy') return undefined;
  const major = stripZeros(v.release[0] ?? '0');
  const epoch = stripZeros(v.epoch);
  return epoch === '0' ? major : `${epoch}!${major}`;
}

/** PEP 440's order, the key `packaging.version.Version` sorts by; legacy versions sort first. */
export function comparePypi(a: PypiVersion, b: PypiVersion): Order {
  if (a.kind === 'legacy' || b.kind === 'legacy') {
    if (a.kind === 'legacy' && b.kind === 'legacy') return compareLegacy(a, b);
    return a.kind === 'legacy' ? -1 : 1;
  }
  return comparePublic(a, b) || compareLocal(a.local, b.local);
}

/** Order ignoring local labels (`1.0+abc` = `1.0`), as the `<=`, `>=` and `==` specifiers need. */
export function comparePublic(a: Pep440Version, b: Pep440Version): Order {
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    compareRanked(preRank(a), preRank(b)) ||
    compareRanked(a.post === undefined ? [0] : [1, a.post], b.post === undefined ? [0] : [1, b.post]) ||
    compareRanked(a.dev === undefined ? [1] : [0, a.dev], b.dev === undefined ? [1] : [0, b.dev])
  );
}

/** Release segments, the shorter padded with zeros. */
export function compareRelease(a: readonly string[], b: readonly string[]): Order {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

/** `1.0.dev0` sorts before `1.0a0`: a dev release with no pre or post ranks below every pre-release. */
function preRank(v: Pep440Version): (number | string)[] {
  if (v.pre !== undefined) return [1, v.pre.label, v.pre.number];
  return v.post === undefined && v.dev !== undefined ? [0] : [2];
}

/** Compares [rank, ...values]: ranks numerically, then digit strings by value and labels as text. */
function compareRanked(a: readonly (number | string)[], b: readonly (number | string)[]): Order {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const order =
      typeof x === 'number' || typeof y === 'number'
        ? compareDigits(String(x), String(y))
        : isDigits(x) && isDigits(y)
          ? compareDigits(x, y)
          : compareText(x, y);
    if (order !== 0) return order;
  }
  return 0;
}

/** No local label < any local label; numeric segments outrank text ones; a longer label wins ties. */
function compareLocal(a: readonly string[] | undefined, b: readonly string[] | undefined): Order {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x = '', y = ''] = [a[i], b[i]];
    const [xNumeric, yNumeric] = [isDigits(x), isDigits(y)];
    const order = xNumeric && yNumeric ? compareDigits(x, y) : xNumeric !== yNumeric ? (xNumeric ? 1 : -1) : compareText(x, y);
    if (order !== 0) return order;
  }
  return compareDigits(String(a.length), String(b.length));
}
