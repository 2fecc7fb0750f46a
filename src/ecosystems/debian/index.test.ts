import { describe, expect, it } from 'vitest';
import { runOrderFixtures, runVersionSchemeContract } from '../version-scheme.contract.js';
import { debianScheme } from './index.js';

const samples = [
  '0.0.0', '0:0.0.0-0', '0.0.0-a', '0.0.9', '0.0.10', '1.0~rc1', '1.0', '1.0+dfsg', '1.0a', '1.2.3-1~deb7u1', '1.2.3-1',
  '2.7.4+reloaded2-13', '2.7.4+reloaded2-13ubuntu1', '2.7.4+reloaded2-13+deb9u1', '1:0.0.1', '2:0.0.44-1', '2:0.0.44-nobin',
  '1:2.30:1-2', '10.0.0',
];

runVersionSchemeContract(debianScheme, samples, {
  prereleases: [['1.0~rc1', '1.0'], ['2.7.4~beta1-1', '2.7.4-1'], ['1:2.30~rc1-1', '1:2.30-1']],
  invalid: ['', 'a:1.0', '1.0-', '-1', '1.0-a:b', '1.2.3-not-a-debian:version!@#$', '1 0', ':1.0', '1:'],
  invalidRanges: ['', '>>', '>= a:1', '<<< 1', '>= 1.0 |', '(>= 1.0'],
  ranges: { atLeast: (v) => `>= ${v}`, below: (v) => `<< ${v}` },
});
runOrderFixtures(debianScheme, ['debian-versions.txt', 'debian-versions-generated.txt']);

describe('Debian relations (Debian Policy 7.1)', () => {
  const cases: [string, string, boolean][] = [
    ['1.2-3', '>= 1.2-3', true], ['1.2-2', '>= 1.2-3', false],
    ['1.9', '<< 2.0', true], ['2.0~rc1', '<< 2.0', true], ['2.0', '<< 2.0', false],
    ['1.0', '(>= 1.0)', true], ['1:0.1', '>> 1.0', true], ['1:0', '>> 1:0', false],
    ['2.7.4+reloaded2-13', '= 2.7.4+reloaded2-13', true], ['1.2.3-1~deb7u1', '<< 1.2.3-1', true],
    ['1.5', '>= 1.0, << 2.0', true], ['2.0', '>= 1.0, << 2.0', false],
    ['0.5', '<< 1.0 | >> 2.0', true], ['1.5', '<< 1.0 | >> 2.0', false],
    ['1.0', '< 1.0', true], ['1.0', '> 1.0', true], // obsolete forms mean <= and >=
    ['1.0', '1.0-0', true],
  ];
  it.each(cases)('%s in "%s" is %s', (version, relation, expected) => {
    expect(debianScheme.satisfies(version, relation)).toBe(expected);
  });

  it('sorts ~ before everything, even the end of the version', () => {
    expect(debianScheme.compare('1.0~~', '1.0~')).toBe(-1);
    expect(debianScheme.compare('1.0~', '1.0')).toBe(-1);
    expect(debianScheme.compare('1.0', '1.0a')).toBe(-1);
    expect(debianScheme.compare('1.0a', '1.0+')).toBe(-1);
  });
});

describe('Debian: major and isPrerelease', () => {
  it.each<[string, string | undefined]>([
    ['1:2.30:1-2', '1:2'],
    ['0:0.0.0-0', '0'],
    ['10.0.0', '10'],
    ['1:7.50.3-1', '1:7'],
    ['abc', undefined],
  ])('major(%s) is %s', (version, major) => {
    expect(debianScheme.major(version)).toBe(major);
  });

  it.each<[string, boolean]>([
    ['1.0~rc1', true],
    ['1.2.3-1~deb7u1', false],
    ['1.0-1~bpo11+1', false],
    ['1.0+dfsg', false],
  ])('isPrerelease(%s) is %s', (version, prerelease) => {
    expect(debianScheme.isPrerelease(version)).toBe(prerelease);
  });
});
