import { describe, expect, it } from 'vitest';
import { runOrderFixtures, runVersionSchemeContract } from '../version-scheme.contract.js';
import { npmScheme } from './index.js';

const samples = [
  '0.0.0-foo', '0.0.0', 'v0.0.1', '0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2',
  '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', 'v1.0.0', '1.0.0+build.7', '1.0.1', '1.2', '1.2.3-r100', '1.2.3-r2',
  '2.0.0', '999999999999999999999999999991.0.0',
];

runVersionSchemeContract(npmScheme, samples, {
  prereleases: [['1.0.0-alpha', '1.0.0'], ['2.0.0-rc.1', '2.0.0'], ['5.0.0-beta.3', '5.0.0'], ['19.0.0-rc-fb9a90fa48-20240614', '19.0.0']],
  invalid: ['', 'latest', '1.2.3-', '1.2.3-a..b', '1.2.3+', 'x1.2.3', '1.2.3 4'],
  invalidRanges: ['>=foo', '1.2.3 ||| ^', '~>1.2.3.4.5'],
  ranges: {
    atLeast: (v) => `>=${v}`,
    below: (v) => `<${v}`,
    samples: samples.filter((v) => !v.startsWith('9999')),
    skip: (v) => /^v?\d+(\.\d+)*-/.test(v),
  },
});
runOrderFixtures(npmScheme, ['semver-versions.txt']);

describe('npm ranges (node-semver grammar)', () => {
  const cases: [string, string, boolean][] = [
    ['1.2.3', '^1.2.0', true],
    ['2.0.0', '^1.2.0', false],
    ['0.2.5', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.4.0', '1.2 - 1.4', true],
    ['1.5.0', '1.2 - 1.4', false],
    ['2.7.1', '1.x || 2.x', true],
    ['3.0.0', '1.x || 2.x', false],
    ['1.5.0', '>=1.0.0 <2.0.0', true],
    ['1.2.3', '*', true],
    ['1.2.3', '', true],
    ['v1.2.3', '=1.2.3', true],
    ['1.2.3+build', '1.2.3', true],
    ['999999999999999999999999999991.0.0', '>=1.0.0', true],
  ];
  it.each(cases)('%s in %s is %s', (version, range, expected) => {
    expect(npmScheme.satisfies(version, range)).toBe(expected);
  });

  it('leaves out pre-releases unless a comparator names one of the same release, as npm does', () => {
    expect(npmScheme.satisfies('1.3.0-beta', '^1.2.0')).toBe(false);
    expect(npmScheme.satisfies('1.3.0-beta', '>=1.3.0-alpha <2')).toBe(true);
    expect(npmScheme.satisfies('1.4.0-beta', '>=1.3.0-alpha <2')).toBe(false);
    expect(npmScheme.satisfies('1.2.3-alpha.7', '>1.2.3-alpha.3')).toBe(true);
  });
});

describe('npm: major and isPrerelease', () => {
  it.each<[string, string | undefined]>([
    ['v18.2.0', '18'],
    ['0.0.0-foo', '0'],
    ['01.2.3', '1'],
    ['999999999999999999999999999991.0.0', '999999999999999999999999999991'],
  ])('major(%s) is %s', (version, major) => {
    expect(npmScheme.major(version)).toBe(major);
  });

  it.each<[string, boolean]>([
    ['17.0.0-next.0', true],
    ['1.0.0rc1', true],
    ['1.0.0+build.7', false],
    ['5.3.3', false],
  ])('isPrerelease(%s) is %s', (version, prerelease) => {
    expect(npmScheme.isPrerelease(version)).toBe(prerelease);
  });
});
