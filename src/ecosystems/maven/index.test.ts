import { describe, expect, it } from 'vitest';
import { runOrderFixtures, runVersionSchemeContract } from '../version-scheme.contract.js';
import { mavenScheme } from './index.js';

const samples = [
  '1-alpha-1', '1.0-alpha-2', '1.0-beta-1', '1.0-M1', '1.0-rc1', '1.0-CR2', '1.0-SNAPSHOT', '1', '1.0', '1.0.0', '1-ga',
  '1.0-final', '1.0-sp1', '1.0-foo', '1.0-1', '1.0.1', '1.1', '2.0.1-xyz', '2.0.1-123', '2.13.2.1', '2.14.1', '2.15.0',
  '5.3.18.RELEASE', '2.0-beta9', '20190126.230843', '0.0.0-2021-05-17T01-01-51-5ec03a8b',
];

runVersionSchemeContract(mavenScheme, samples, {
  prereleases: [['1.0-alpha-2', '1.0'], ['1.0-M1', '1.0'], ['1.0-CR2', '1.0'], ['1.0-SNAPSHOT', '1.0'], ['2.0-beta9', '2.0'], ['6.0.0-RC1', '6.0.0']],
  invalid: ['', '1.0 beta', '[1.0]', '1,0', '(1.0)'],
  invalidRanges: ['', '[1.0', '(1.0)', '[2.0,1.0]', '[1.0,2.0),', '[1.0,2.0) [3.0,)', '[1.0,2.0,3.0]', '(,)'],
  ranges: { atLeast: (v) => `[${v},)`, below: (v) => `(,${v})` },
});
runOrderFixtures(mavenScheme, ['maven-versions.txt', 'maven-versions-generated.txt']);

describe('Maven version ranges (POM reference, "Dependency Version Requirement Specification")', () => {
  const cases: [string, string, boolean][] = [
    ['0.1', '1.0', true], ['9.9', '1.0', true], // a bare version is a soft requirement
    ['1.0', '(,1.0]', true], ['1.0.1', '(,1.0]', false],
    ['1.2', '[1.2]', true], ['1.2.0', '[1.2]', true], ['1.2.1', '[1.2]', false],
    ['1.2', '[1.2,1.3]', true], ['1.3', '[1.2,1.3]', true], ['1.3.1', '[1.2,1.3]', false],
    ['1.0', '[1.0,2.0)', true], ['2.0', '[1.0,2.0)', false], ['2.0-SNAPSHOT', '[1.0,2.0)', true],
    ['1.5', '[1.5,)', true], ['1.4.9', '[1.5,)', false],
    ['0.9', '(,1.0],[1.2,)', true], ['1.1', '(,1.0],[1.2,)', false], ['1.2', '(,1.0],[1.2,)', true],
    ['1.1', '(,1.1),(1.1,)', false], ['1.1.1', '(,1.1),(1.1,)', true],
    // Log4Shell: vulnerable from 2.0-beta9 up to, not including, 2.15.0
    ['2.14.1', '[2.0-beta9,2.15.0)', true], ['2.0-beta8', '[2.0-beta9,2.15.0)', false], ['2.15.0', '[2.0-beta9,2.15.0)', false],
    ['5.3.18.RELEASE', '[5.3.18]', true],
  ];
  it.each(cases)('%s in "%s" is %s', (version, range, expected) => {
    expect(mavenScheme.satisfies(version, range)).toBe(expected);
  });
});

describe('Maven: major and isPrerelease', () => {
  it.each<[string, string | undefined]>([
    ['2.13.2.1', '2'],
    ['20190126.230843', '20190126'],
    ['1-alpha-1', '1'],
    ['alpha-1', undefined],
  ])('major(%s) is %s', (version, major) => {
    expect(mavenScheme.major(version)).toBe(major);
  });

  it.each<[string, boolean]>([
    ['1.0-a1', true],
    ['1.0-cr1', true],
    ['1.0-a', false],
    ['5.3.18.RELEASE', false],
    ['1.0-sp1', false],
    ['1.0-foo', false],
    ['1.0-final', false],
  ])('isPrerelease(%s) is %s', (version, prerelease) => {
    expect(mavenScheme.isPrerelease(version)).toBe(prerelease);
  });
});
