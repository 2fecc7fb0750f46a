import { describe, expect, it } from 'vitest';
import { runOrderFixtures, runVersionSchemeContract } from '../version-scheme.contract.js';
import { packagistScheme } from './index.js';

// No `1.2.3.#` here: PHP reads `#` as "some number", so the fixtures require `1.2.3.# = 1.2.3` and
// `1.2.3.# = 1.2.3.1` while `1.2.3 < 1.2.3.1`, an equality that cannot be transitive.
const samples = [
  'dev-foo', '1.0-dev', '1.0a1', '1.0b1', '1.0RC1', '1.0rc1', '1.0', '1.0pl1', '1.0.0', 'v1.0.0', 'V1.0.0', '1.0.0-patch1',
  '1.2.3', '1.2.3.1', '1.25.0-beta2.1', '1.25.0', '2.0.0-RC1', '2.0.0', '10.0.0',
];
const rangeSamples = ['0.9.0', '1.0.0', 'v1.0.1', '1.2.0', '1.2.3', '1.10.0', '2.0.0', 'v2.0.1', '1.0.0-patch1', '1.2.3-pl2'];

runVersionSchemeContract(packagistScheme, samples, {
  prereleases: [['1.0-dev', '1.0'], ['1.0a1', '1.0'], ['1.0RC1', '1.0'], ['2.0.0-RC1', '2.0.0'], ['1.25.0-beta2.1', '1.25.0'], ['v5.4.0-BETA1', 'v5.4.0']],
  invalid: ['', '1 0', '>=1', '^1.2', '~~', '...'],
  invalidRanges: ['', '~>1.2', '>=foo bar', '^', '1.0 -', 'nonsense!'],
  ranges: { atLeast: (v) => `>=${v}`, below: (v) => `<${v}`, samples: rangeSamples, skip: (v) => /[a-z]/i.test(v.replace(/^v/i, '')) },
});
runOrderFixtures(packagistScheme, ['packagist-versions.txt', 'packagist-versions-generated.txt']);

describe('Composer constraints (getcomposer.org, "Versions and constraints")', () => {
  const cases: [string, string, boolean][] = [
    ['1.0.2', '1.0.2', true], ['1.0.3', '1.0.2', false],
    ['1.5', '>=1.0', true], ['1.5', '>=1.0 <2.0', true], ['2.0', '>=1.0 <2.0', false],
    ['1.0.5', '>=1.0 <1.1 || >=1.2', true], ['1.1.5', '>=1.0 <1.1 || >=1.2', false], ['1.2.0', '>=1.0 <1.1 || >=1.2', true],
    ['1.5.0', '>=1.0,<2.0', true],
    ['2.0.9', '1.0 - 2.0', true], ['2.1.0', '1.0 - 2.0', false], ['2.1.0', '1.0.0 - 2.1.0', true], ['2.1.1', '1.0.0 - 2.1.0', false],
    ['1.0.9', '1.0.*', true], ['1.1.0', '1.0.*', false], ['7.1.2', '*', true],
    ['1.9.9', '~1.2', true], ['2.0.0', '~1.2', false], ['1.2.9', '~1.2.3', true], ['1.3.0', '~1.2.3', false],
    ['1.9.0', '^1.2.3', true], ['2.0.0', '^1.2.3', false], ['1.2.2', '^1.2.3', false],
    ['0.3.9', '^0.3', true], ['0.4.0', '^0.3', false], ['0.0.3', '^0.0.3', true], ['0.0.4', '^0.0.3', false],
    ['v1.2.0', '^1.0', true], ['1.0', '>=1.0.0', true], ['1.0.0-patch1', '>1.0.0', true],
    ['1.2.0-beta1', '>=1.2@beta', true], ['dev-main', 'dev-main', true], ['dev-main', '>=1.0', false], ['1.0.0', '!=1.0', false],
  ];
  it.each(cases)('%s in "%s" is %s', (version, constraint, expected) => {
    expect(packagistScheme.satisfies(version, constraint)).toBe(expected);
  });

  it('matches after normalising while compare keeps PHP order (documented difference)', () => {
    expect(packagistScheme.compare('1.0', '1.0.0')).toBe(-1);
    expect(packagistScheme.satisfies('1.0', '>=1.0.0')).toBe(true);
    expect(packagistScheme.satisfies('1.0.0-beta', '>=1.0')).toBe(true);
  });
});

describe('Packagist: major and isPrerelease', () => {
  it.each<[string, string | undefined]>([
    ['v1.0.0', '1'],
    ['1.x-dev', '1'],
    ['dev-main', undefined],
  ])('major(%s) is %s', (version, major) => {
    expect(packagistScheme.major(version)).toBe(major);
  });

  it.each<[string, boolean]>([
    ['dev-main', true],
    ['1.x-dev', true],
    ['1.0.0-alpha3', true],
    ['1.0pl1', false],
    ['1.0.0-patch1', false],
    ['1.0-stable', false],
  ])('isPrerelease(%s) is %s', (version, prerelease) => {
    expect(packagistScheme.isPrerelease(version)).toBe(prerelease);
  });
});

describe('Packagist: where PHP order and Composer stability part', () => {
  it('follows Composer for the stability of words PHP reads by their first letter', () => {
    expect(packagistScheme.compare('1.0-bar', '1.0-b')).toBe(0);
    expect([packagistScheme.isPrerelease('1.0-bar'), packagistScheme.isPrerelease('1.0-b')]).toEqual([false, true]);
  });
});
