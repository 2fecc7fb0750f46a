import { describe, expect, it } from 'vitest';
import { runOrderFixtures, runVersionSchemeContract } from '../version-scheme.contract.js';
import { cratesIoScheme } from './index.js';

const samples = [
  '0.0.0', '0.0.3', '0.1.0', '0.2.3', '0.3.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.11', '1.0.0', '1.0.1',
  '1.2.0', '1.2.3', '1.3.0', '2.0.0-rc.1', '2.0.0', 'v2.0.0', '2.0.0+build.5', '10.0.0',
];

runVersionSchemeContract(cratesIoScheme, samples, {
  prereleases: [['1.0.0-alpha.1', '1.0.0'], ['0.2.0-alpha.6', '0.2.0'], ['1.0.0-rc.1', '1.0.0']],
  invalid: ['', 'latest', '1.2.3-', '1.2.3-a..b', '^1.2.3', '1.2.3 4'],
  invalidRanges: ['', '>=', '~>1.0', '1.*.3', '1.2-alpha', '>=1.0,,<2', '* 1'],
  ranges: { atLeast: (v) => `>=${v}`, below: (v) => `<${v}`, skip: (v) => v.includes('-') },
});
runOrderFixtures(cratesIoScheme, ['semver-versions.txt']);

describe('Cargo requirements (the Cargo book, "Specifying dependencies")', () => {
  const cases: [string, string, boolean][] = [
    // caret, written or bare
    ['1.9.9', '1.2.3', true], ['2.0.0', '1.2.3', false], ['1.2.2', '^1.2.3', false],
    ['1.9.0', '1.2', true], ['1.0.0', '1', true], ['1.99.0', '1', true], ['2.0.0', '1', false],
    ['0.2.9', '0.2.3', true], ['0.3.0', '0.2.3', false], ['0.2.0', '0.2', true], ['0.3.0', '0.2', false],
    ['0.0.3', '0.0.3', true], ['0.0.4', '0.0.3', false], ['0.0.9', '0.0', true], ['0.1.0', '0.0', false],
    ['0.9.0', '0', true], ['1.0.0', '0', false],
    // tilde
    ['1.2.9', '~1.2.3', true], ['1.3.0', '~1.2.3', false], ['1.2.0', '~1.2', true], ['1.3.0', '~1.2', false],
    ['1.9.0', '~1', true], ['2.0.0', '~1', false],
    // wildcards
    ['7.3.1', '*', true], ['1.9.9', '1.*', true], ['2.0.0', '1.*', false], ['1.2.7', '1.2.*', true], ['1.3.0', '1.2.*', false],
    // comparisons and intersections
    ['1.2.0', '>= 1.2.0', true], ['1.1.9', '>= 1.2.0', false], ['1.0.1', '> 1', false], ['2.0.0', '> 1', true],
    ['1.9.9', '< 2', true], ['2.0.0', '< 2', false], ['1.2.3', '= 1.2.3', true], ['1.2.4', '= 1.2.3', false],
    ['1.4.9', '>= 1.2, < 1.5', true], ['1.5.0', '>= 1.2, < 1.5', false],
  ];
  it.each(cases)('%s in "%s" is %s', (version, requirement, expected) => {
    expect(cratesIoScheme.satisfies(version, requirement)).toBe(expected);
  });

  it('lets a pre-release match only through a comparator naming a pre-release of the same version', () => {
    expect(cratesIoScheme.satisfies('1.0.0-alpha.2', '>=1.0.0-alpha.1, <1.0.0')).toBe(true);
    expect(cratesIoScheme.satisfies('1.0.1-beta', '>=1.0.0-alpha.1')).toBe(false);
    expect(cratesIoScheme.satisfies('2.0.0-rc.1', '>=1.0.0')).toBe(false);
    expect(cratesIoScheme.satisfies('1.2.3-beta.2', '^1.2.3-beta.1')).toBe(true);
    expect(cratesIoScheme.satisfies('1.2.3-alpha', '^1.2.3-beta.1')).toBe(false);
  });
});

describe('crates.io: major and isPrerelease', () => {
  it.each<[string, string | undefined]>([
    ['0.3.21', '0'],
    ['1.0.0-alpha', '1'],
    ['v2.0.0', '2'],
  ])('major(%s) is %s', (version, major) => {
    expect(cratesIoScheme.major(version)).toBe(major);
  });

  it.each<[string, boolean]>([
    ['0.2.0-alpha.6', true],
    ['2.0.0+build.5', false],
    ['1.0.197', false],
  ])('isPrerelease(%s) is %s', (version, prerelease) => {
    expect(cratesIoScheme.isPrerelease(version)).toBe(prerelease);
  });
});
