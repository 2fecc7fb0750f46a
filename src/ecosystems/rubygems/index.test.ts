import { describe, expect, it } from 'vitest';
import { runOrderFixtures, runVersionSchemeContract } from '../version-scheme.contract.js';
import { rubygemsScheme } from './index.js';

const samples = [
  '0.9', '1.0.a.2', '1.0.a9', '1.0.a10', '1.0.b1', '1.0.0.rc1', '1.0-beta', '1', '1.0', '1.0.0', '1.0.1', '1.2.4.beta',
  '1.2.4', '2.2', '2.2.0', '2.2.1.rc1', '2.2.1', '2.3', '3.0.0.pre', '3.0', '3.10', '7.0.4.1',
];

runVersionSchemeContract(rubygemsScheme, samples, {
  prereleases: [['1.0.0.rc1', '1.0.0'], ['7.1.0.beta1', '7.1.0'], ['1.0-beta', '1.0'], ['3.0.0.pre', '3.0.0']],
  invalid: ['', 'a1', '1..2', '1.', '1 2', '=1', '1.0_1'],
  invalidRanges: ['', '~>', '>= a', '1.0,,', '=> 1.0', '~> 1.0 2.0'],
  ranges: { atLeast: (v) => `>= ${v}`, below: (v) => `< ${v}` },
});
runOrderFixtures(rubygemsScheme, ['rubygems-versions.txt', 'rubygems-versions-generated.txt']);

describe('Gem::Requirement (RubyGems guides, "Patterns: pessimistic version constraint")', () => {
  const cases: [string, string, boolean][] = [
    ['2.2', '~> 2.2', true], ['2.9.9', '~> 2.2', true], ['3.0', '~> 2.2', false], ['2.1', '~> 2.2', false],
    ['2.2.0', '~> 2.2.0', true], ['2.2.9', '~> 2.2.0', true], ['2.3.0', '~> 2.2.0', false],
    ['2.2.1', '~> 2.2.1.rc1', true], ['2.2.9', '~> 2.2.1.rc1', true], ['2.3.0', '~> 2.2.1.rc1', false],
    ['2.3.0.pre', '~> 2.2', true], ['3.0.0.pre', '~> 2.2', false],
    ['1.1', '!= 1.1', false], ['1.1.1', '!= 1.1', true],
    ['1.5', '>= 1.0, < 2.0', true], ['2.0', '>= 1.0, < 2.0', false], ['2.0.0.rc1', '>= 1.0, < 2.0', true],
    ['1.0.0', '= 1.0', true], ['1.0.0', '1.0', true], ['1.0.1', '1.0', false],
    ['7.0.4.1', '~> 7.0.4, >= 7.0.4.1', true], ['7.0.4', '~> 7.0.4, >= 7.0.4.1', false],
  ];
  it.each(cases)('%s in "%s" is %s', (version, requirement, expected) => {
    expect(rubygemsScheme.satisfies(version, requirement)).toBe(expected);
  });
});

describe('RubyGems: major and isPrerelease', () => {
  it.each<[string, string | undefined]>([
    ['7.0.4.1', '7'],
    ['01.2', '1'],
    ['0.9', '0'],
  ])('major(%s) is %s', (version, major) => {
    expect(rubygemsScheme.major(version)).toBe(major);
  });

  it.each<[string, boolean]>([
    ['1.2.4.beta', true],
    ['1.0.a2', true],
    ['2.2.1', false],
  ])('isPrerelease(%s) is %s', (version, prerelease) => {
    expect(rubygemsScheme.isPrerelease(version)).toBe(prerelease);
  });
});
