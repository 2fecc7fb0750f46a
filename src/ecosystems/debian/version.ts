import { compareDigits, stripZeros, type Order } from '../common/digits.js';

/** A Debian package version, `[epoch:]upstream[-revision]` (deb-version(7)). */
export interface DebianVersion {
  epoch: string;
  upstream: string;
  /** "0" when absent: dpkg treats a missing revision like an empty one, and "" equals "0". */
  revision: string;
}

/**
 * dpkg's syntax checks, minus its warnings-only rule that upstream starts with a digit: the
 * epoch is a number, upstream uses letters, digits and `.+~-:` (`-` only with a revision, `:`
 * only with an epoch), the revision letters, digits and `.+~`.
 */
export function parseDebianVersion(input: string): DebianVersion | undefined {
  const text = input.trim();
  const colon = text.indexOf(':');
  const epoch = colon < 0 ? '0' : text.slice(0, colon);
  const rest = colon < 0 ? text : text.slice(colon + 1);
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen < 0 ? rest : rest.slice(0, hyphen);
  const revision = hyphen < 0 ? '0' : rest.slice(hyphen + 1);
  if (!/^[0-9]+$/.test(epoch) || upstream === '' || revision === '') return undefined;
  const upstreamChars = colon < 0 ? /^[A-Za-z0-9.+~-]+$/ : /^[A-Za-z0-9.+~:-]+$/;
  if (!upstreamChars.test(upstream) || !/^[A-Za-z0-9.+~]+$/.test(revision)) return undefined;
  return { epoch, upstream, revision };
}

/** dpkg's `order()`: `~` before everything (even the end), then the end, letters, other symbols. */
function weight(char: string | undefined): number {
  if (char === undefined) return 0;
  if (char === '~') return -1;
  if (/[A-Za-z]/.test(char)) return char.charCodeAt(0);
  return char.charCodeAt(0) + 256;
}

/** dpkg's `verrevcmp`: alternate non-digit runs (by weight) and digit runs (by value). */
export function compareDebianPart(a: string, b: string): Order {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const x = i < a.length && !isDigit(a[i]) ? weight(a[i]) : 0;
      const y = j < b.length && !isDigit(b[j]) ? weight(b[j]) : 0;
      if (x !== y) return x < y ? -1 : 1;
      i++;
      j++;
    }
    const digitsA = takeDigits(a, i);
    const digitsB = takeDigits(b, j);
    i += digitsA.length;
    j += digitsB.length;
    const order = compareDigits(digitsA || '0', digitsB || '0');
    if (order !== 0) return order;
  }
  return 0;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function takeDigits(text: string, from: number): string {
  let end = from;
  while (isDigit(text[end])) end++;
  return text.slice(from, end);
}

export function compareDebian(a: DebianVersion, b: DebianVersion): Order {
  return compareDigits(a.epoch, b.epoch) || compareDebianPart(a.upstream, b.upstream) || compareDebianPart(a.revision, b.revision);
}

/**
 * Debian has no notion of a pre-release; its policy (5.6.12) has upstream pre-releases written with
 * a tilde, which sorts before everything (`1.0~rc1` < `1.0`), so a `~` in the upstream version
 * counts as one. A `~` in the Debian revision (`1.2.3-1~deb7u1`, `-1~bpo11+1`) marks a stable
 * update or a backport, not a pre-release, and does not count.
 */
export const isDebianPrerelease = (v: DebianVersion): boolean => v.upstream.includes('~');

/**
 * The leading number of the upstream version, behind a non-zero epoch (`1:2.30-1` → `1:2`) since an
 * epoch restarts the numbering; undefined when the upstream version does not start with a digit.
 */
export function debianMajor(v: DebianVersion): string | undefined {
  const digits = /^[0-9]+/.exec(v.upstream)?.[0];
  if (digits === undefined) return undefined;
  const epoch = stripZeros(v.epoch);
  return epoch === '0' ? stripZeros(digits) : `${epoch}:${stripZeros(digits)}`;
}
