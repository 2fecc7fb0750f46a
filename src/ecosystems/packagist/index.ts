import { defineScheme } from '../common/define.js';
import { constraintHolds, parseComposerConstraints } from './constraint.js';
import { normalizeComposer } from './normalize.js';
import { parseStability } from './stability.js';
import { comparePackagist, packagistMajor, parsePackagistVersion, type PackagistVersion } from './version.js';

/**
 * Packagist: versions ordered by PHP's `version_compare` (without a leading `v`), the order OSV
 * and its fixtures use: `1.0-dev` < `1.0a1` < `1.0b1` < `1.0RC1` < `1.0` < `1.0pl1`, and
 * `1.0` < `1.0.0` (PHP does not pad).
 *
 * Ranges are Composer constraints (`^1.2`, `~1.2.3`, `>=1.0 <2.0`, `1.0.*`, `1.0 - 2.0`,
 * `^1.0 || ^2.0`, `@dev` flags), matched the way Composer matches them: both sides normalised
 * first, so `1.0` satisfies `>=1.0.0` although `compare('1.0', '1.0.0')` is -1, and `>=1.0`
 * admits `1.0.0-beta` (Composer leaves unstable versions to `minimum-stability`). A version
 * Composer cannot normalise (a 30-digit number) is matched as written.
 *
 * A pre-release is a version whose Composer stability is dev, alpha, beta or RC (stability.ts;
 * `1.0pl1` and `1.0.0-patch1` are stable). PHP's order reads words by their first letters, so it
 * can tie versions Composer gives different stabilities (`1.0-bar` = `1.0-b`, the first stable
 * and the second beta); real tags do not spell stabilities that way. The major is the first number.
 */
export const packagistScheme = defineScheme<PackagistVersion>({
  ecosystem: 'Packagist',
  parse: parsePackagistVersion,
  order: comparePackagist,
  satisfies: (version, range) => {
    const normalized = normalizeComposer(version.text) ?? version.text.replace(/^[vV]/, '');
    return parseComposerConstraints(range).some((all) => all.every((constraint) => constraintHolds(constraint, normalized)));
  },
  major: packagistMajor,
  isPrerelease: (version) => parseStability(version.text) !== 'stable',
});
