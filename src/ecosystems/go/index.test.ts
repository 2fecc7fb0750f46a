import { describe, expect, it } from 'vitest';
import { runOrderFixtures, runVersionSchemeContract } from '../version-scheme.contract.js';
import { goScheme } from './index.js';

const samples = [
  'v0.0.0-20191109021931-daa7c04131f5', 'v0.0.0-20200101000000-0123456789ab', 'v0.0.0', 'v0.1.0', '0.17.0',
  'v1.0.0-rc.1', 'v1.0.0', 'v1.2', 'v1.2.0', 'v1.2.1-0.20220101000000-abcdefabcdef', 'v1.2.1', 'v1.3.0',
  'v2.0.0+incompatible', 'v2.0.0', 'v2.1.0+incompatible',
];

runVersionSchemeContract(goScheme, samples, {
  prereleases: [['v1.0.0-rc.1', 'v1.0.0'], ['v1.2.1-0.20220101000000-abcdefabcdef', 'v1.2.1'], ['v0.0.0-20191109021931-daa7c04131f5', 'v0.0.0']],
  invalid: ['', 'latest', 'v1.2.3-', 'vv1.2.3', 'v1.2.3+', 'master'],
  invalidRanges: ['', 'latest', '>=', '~1.2', '>=v1.2.0 ||'],
  ranges: { atLeast: (v) => `>=${v}`, below: (v) => `<${v}` },
});
runOrderFixtures(goScheme, ['semver-versions.txt']);

describe('Go order with the v prefix', () => {
  // The fixture mixes spellings; Go tooling always writes the v, so run it that way as well.
  runOrderFixtures(goScheme, ['semver-versions.txt'], (version) => (version.startsWith('v') ? version : `v${version}`));

  it('orders pseudo-versions by their timestamp, before the release they precede', () => {
    const ordered = ['v0.0.0-20191109021931-daa7c04131f5', 'v0.0.0-20200101000000-0123456789ab', 'v0.1.0'];
    expect(goScheme.compare(ordered[0] ?? '', ordered[1] ?? '')).toBe(-1);
    expect(goScheme.compare(ordered[1] ?? '', ordered[2] ?? '')).toBe(-1);
    expect(goScheme.compare('v1.2.1-0.20220101000000-abcdefabcdef', 'v1.2.0')).toBe(1);
  });

  it('ignores +incompatible and reads the OSV spelling without v', () => {
    expect(goScheme.compare('v2.0.0+incompatible', 'v2.0.0')).toBe(0);
    expect(goScheme.compare('0.17.0', 'v0.17.0')).toBe(0);
    expect(goScheme.compare('v1.2', 'v1.2.0')).toBe(0);
  });
});

describe('Go comparator lists', () => {
  const cases: [string, string, boolean][] = [
    ['v1.2.5', '>=v1.2.0, <v1.3.0', true],
    ['v1.3.0', '>=v1.2.0, <v1.3.0', false],
    ['v1.2.0', '>= v1.2.0 < v1.3.0', true],
    ['1.2.9', '>=1.2.0,<1.3.0', true],
    ['v1.1.0', '>=v1.2.0, <v1.3.0', false],
    ['v1.2.3', 'v1.2.3', true],
    ['v1.2.3', '=v1.2.3', true],
    ['v1.2.3', '!=v1.2.3', false],
    ['v0.9.0', '<v1.0.0 || >=v2.0.0', true],
    ['v2.0.0+incompatible', '<v1.0.0 || >=v2.0.0', true],
    ['v1.5.0', '<v1.0.0 || >=v2.0.0', false],
    ['v0.0.0-20191109021931-daa7c04131f5', '<v0.1.0', true],
  ];
  it.each(cases)('%s in "%s" is %s', (version, range, expected) => {
    expect(goScheme.satisfies(version, range)).toBe(expected);
  });
});

describe('Go: major and isPrerelease', () => {
  it.each<[string, string | undefined]>([
    ['v2.0.0+incompatible', '2'],
    ['0.17.0', '0'],
    ['v1.2', '1'],
  ])('major(%s) is %s', (version, major) => {
    expect(goScheme.major(version)).toBe(major);
  });

  it.each<[string, boolean]>([
    ['v0.0.0-20191109021931-daa7c04131f5', true],
    ['v0.17.1-0.20231012150420-3b1c2c8f2c47', true],
    ['v2.0.0+incompatible', false],
    ['v0.17.0', false],
  ])('isPrerelease(%s) is %s', (version, prerelease) => {
    expect(goScheme.isPrerelease(version)).toBe(prerelease);
  });
});
