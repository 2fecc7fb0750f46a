import { describe, expect, it } from 'vitest';
import { runOrderFixtures, runVersionSchemeContract } from '../version-scheme.contract.js';
import { pypiScheme } from './index.js';

const pep440 = [
  '0', '0.9', '1.0.dev0', '1.0a0', '1.0a1', '1.0b2.post345.dev456', '1.0b2', '1.0rc1', '1.0', '1.0.0', 'v1.0',
  '1.0.post1.dev1', '1.0.post1', '1.0-1', '1.1', '1.36.0rc1', '2.0', '1!0.1', '1!1.0',
];
const samples = [...pep440, '1.0+local', '1.0+local.1', '1.0+1', '0.1-bulbasaur', '2013-01-21T20:33:09+0100'];

runVersionSchemeContract(pypiScheme, samples, {
  prereleases: [['1.0a1', '1.0'], ['2.0.0rc1', '2.0.0'], ['1.0.dev0', '1.0'], ['5.0b1', '5.0'], ['1!2.0b1', '1!2.0']],
  invalid: ['', '1.0 beta', '>=1.0', '!!!', '...', '1.0,2.0'],
  invalidRanges: ['>=1.0.*', '~=1', '<1.0+local', '=>1.0', '1.0', '>=1.0,,<2', '===', '>= foo'],
  ranges: {
    atLeast: (v) => `>=${v}`,
    below: (v) => `<${v}`,
    samples: pep440,
    skip: (v) => /(a|b|rc|dev)\d/.test(v),
  },
});
runOrderFixtures(pypiScheme, ['pypi-versions.txt', 'pypi-versions-generated.txt']);

describe('PEP 440 normalisation', () => {
  const equal: [string, string][] = [
    ['1.0RC1', '1.0rc1'], ['1.0-alpha.1', '1.0a1'], ['1.0.c1', '1.0rc1'], ['1.0-1', '1.0.post1'], ['1.0.rev2', '1.0.post2'],
    ['1.0-dev', '1.0.dev0'], ['v1.0', '1.0'], ['1.0', '1.0.0.0'], ['0!1.0', '1.0'], ['1.0+Ubuntu-1', '1.0+ubuntu.1'], ['01.02', '1.2'],
  ];
  it.each(equal)('%s = %s', (a, b) => expect(pypiScheme.compare(a, b)).toBe(0));

  it('orders legacy versions below every PEP 440 version', () => {
    expect(pypiScheme.compare('2013-01-21T20:33:09+0100', '0.0.1')).toBe(-1);
    expect(pypiScheme.compare('0.9-ivysaur', '0.1')).toBe(-1);
  });
});

describe('PEP 440 specifiers (PEP 440, "Version specifiers")', () => {
  const cases: [string, string, boolean][] = [
    ['2.3', '~=2.2', true], ['3.0', '~=2.2', false], ['2.1', '~=2.2', false],
    ['1.4.9', '~=1.4.5', true], ['1.5.0', '~=1.4.5', false],
    ['2.9', '~=2.2.post3', true], ['2.2.post2', '~=2.2.post3', false],
    ['1.4.5', '~=1.4.5a4', true], ['1.4.5a5', '~=1.4.5a4', true],
    ['1.1.0', '==1.1.*', true], ['1.1.post1', '==1.1.*', true], ['1.2', '==1.1.*', false], ['1.10', '==1.1.*', false],
    ['1.1.0', '==1.1', true], ['1.1+local', '==1.1', true], ['1.1', '==1.1+local', false], ['1.1+local', '==1.1+local', true],
    ['1.1.3', '!=1.1.*', false], ['1.2.0', '!=1.1.*', true], ['1.0', '!=1.0', false],
    ['1.0.0+local', '<=1.0.0', true], ['1.0.0+local', '>=1.0.0', true],
    ['1.0.0+local', '<1.0.0', false], ['1.0.0+local', '>1.0.0', false],
    ['1.7.1', '>1.7', true], ['1.7.0.post1', '>1.7', false], ['1.7.post3', '>1.7.post2', true],
    ['1.5', '>=1.0, <2.0, !=1.3.*', true], ['1.3.2', '>=1.0, <2.0, !=1.3.*', false],
    ['2.0', '>=1!0.1', false], ['1!0.2', '>=1!0.1', true],
    ['1.0-foo', '===1.0-foo', true], ['1.0-FOO', '===1.0-foo', true], ['1.0', '===1.0.0', false],
    ['0.1-bulbasaur', '<1.0', true], ['0.1-bulbasaur', '>=0', false],
    ['3.2', '', true],
  ];
  it.each(cases)('%s in "%s" is %s', (version, specifier, expected) => {
    expect(pypiScheme.satisfies(version, specifier)).toBe(expected);
  });

  it('skips pre-releases unless an inclusive clause names one, as packaging does', () => {
    expect(pypiScheme.satisfies('2.0b1', '>=1.0')).toBe(false);
    expect(pypiScheme.satisfies('2.0.dev3', '')).toBe(false);
    expect(pypiScheme.satisfies('1.0b1', '>=1.0a1')).toBe(true);
    expect(pypiScheme.satisfies('1.0b1', '>1.0a1')).toBe(false);
    expect(pypiScheme.satisfies('3.1.dev0', '<3.1')).toBe(false);
    expect(pypiScheme.satisfies('3.0.dev0', '>=3.0.dev0, <3.1')).toBe(true);
  });
});

describe('PyPI: major and isPrerelease', () => {
  it.each<[string, string | undefined]>([
    ['4.2.11', '4'],
    ['1!2.0', '1!2'],
    ['0!3.1', '3'],
    ['2013-01-21T20:33:09+0100', undefined],
    ['0.1-bulbasaur', undefined],
  ])('major(%s) is %s', (version, major) => {
    expect(pypiScheme.major(version)).toBe(major);
  });

  it.each<[string, boolean]>([
    ['5.0rc1', true],
    ['1.0.dev0', true],
    ['1.0.post1.dev0', true],
    ['1.0.post1', false],
    ['1.0-1', false],
    ['1.0+local', false],
    ['0.1-bulbasaur', false],
  ])('isPrerelease(%s) is %s', (version, prerelease) => {
    expect(pypiScheme.isPrerelease(version)).toBe(prerelease);
  });
});
