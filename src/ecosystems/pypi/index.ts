import { defineScheme } from '../common/define.js';
import { parseSpecifierSet, specifiersMatch } from './specifier.js';
import { comparePypi, isPrerelease, parsePypiVersion, pypiMajor, type PypiVersion } from './version.js';

/**
 * PyPI: PEP 440 order (epochs, pre/post/dev releases, local labels, normalised spellings such as
 * `1.0-1` = `1.0.post1`, `1.0RC1` = `1.0rc1`). Strings PEP 440 cannot read are accepted as legacy
 * versions and ordered below every PEP 440 version, as `packaging` < 22 did; OSV data still holds
 * them.
 *
 * Ranges are PEP 440 specifier sets (`~=1.4.2`, `==1.2.*`, `!=1.3`, `>=1.0, <2`, `===1.0-foo`),
 * evaluated like `packaging`'s SpecifierSet.contains (see specifier.ts for its pre-release rule).
 *
 * A pre-release is a pre or dev release (`1.0a1`, `1.0rc1`, `1.0.dev0`), not a post release
 * (`1.0.post1`); the major is the first release number, after a non-zero epoch (see version.ts).
 */
export const pypiScheme = defineScheme<PypiVersion>({
  ecosystem: 'PyPI',
  parse: parsePypiVersion,
  order: comparePypi,
  satisfies: (version, range) => specifiersMatch(parseSpecifierSet(range), version),
  major: pypiMajor,
  isPrerelease,
});
