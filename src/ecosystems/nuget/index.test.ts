import { describe, expect, it } from 'vitest';
import { runOrderFixtures, runVersionSchemeContract } from '../version-scheme.contract.js';
import { nugetScheme } from './index.js';

const samples = [
  '0.9.9.1', '1.0', '1.0.0.0', '1.0.0-alpha', '1.0.0-BETA', '1.0.0-beta', '1.0.0-beta.1', '1.0.0-beta2', '1.0.0',
  '1.0.0+build', '1.0.0.1-alpha', '1.0.0.1', '1.0.01', '1.0.1.2', '2.1.1', '13.0.1', '13.0.3-beta1',
];

runVersionSchemeContract(nugetScheme, samples, {
  prereleases: [['1.0.0-beta', '1.0.0'], ['13.0.3-beta1', '13.0.3'], ['8.0.0-preview.7.23375.6', '8.0.0'], ['1.0.0.1-alpha', '1.0.0.1']],
  invalid: ['', 'v1.0.0', '1.0.0-', 'abc', '1.0 0', '[1.0]'],
  invalidRanges: ['', '(1.0)', '[2.0,1.0]', '(1.0,1.0)', '1.*', '[1.0', '(,)', '[1.0,2.0,3.0]'],
  ranges: { atLeast: (v) => `[${v},)`, below: (v) => `(,${v})` },
});
runOrderFixtures(nugetScheme, ['nuget-versions.txt']);

describe('NuGet version ranges (docs: "Package versioning", version ranges)', () => {
  const cases: [string, string, boolean][] = [
    ['1.0', '1.0', true], ['0.9', '1.0', false], ['5.0.0', '1.0', true],
    ['1.0', '(1.0,)', false], ['1.0.1', '(1.0,)', true],
    ['1.0.0.0', '[1.0]', true], ['1.0.1', '[1.0]', false],
    ['1.0', '(,1.0]', true], ['1.0.0.1', '(,1.0]', false],
    ['0.9', '(,1.0)', true], ['1.0', '(,1.0)', false],
    ['1.0', '[1.0,2.0]', true], ['2.0', '[1.0,2.0]', true], ['2.0.1', '[1.0,2.0]', false],
    ['1.0', '(1.0,2.0)', false], ['1.5', '(1.0,2.0)', true], ['2.0', '(1.0,2.0)', false],
    ['2.0', '[1.0,2.0)', false], ['1.9.9.9', '[1.0,2.0)', true],
    ['13.0.1', '[ 13.0.1 , 13.0.2 )', true],
    ['1.0.0-BETA', '[1.0.0-beta]', true],
    // NuGet's VersionRange.Satisfies checks bounds only: pre-releases in bounds satisfy.
    ['1.5.0-rc.1', '[1.0,2.0)', true], ['2.0.0-rc.1', '[1.0,2.0)', true],
  ];
  it.each(cases)('%s in "%s" is %s', (version, range, expected) => {
    expect(nugetScheme.satisfies(version, range)).toBe(expected);
  });
});

describe('NuGet: major and isPrerelease', () => {
  it.each<[string, string | undefined]>([
    ['13.0.1', '13'],
    ['1.0.0.1-alpha', '1'],
    ['01.0', '1'],
  ])('major(%s) is %s', (version, major) => {
    expect(nugetScheme.major(version)).toBe(major);
  });

  it.each<[string, boolean]>([
    ['1.0.0-BETA', true],
    ['1.0.0+build', false],
    ['13.0.3', false],
  ])('isPrerelease(%s) is %s', (version, prerelease) => {
    expect(nugetScheme.isPrerelease(version)).toBe(prerelease);
  });
});
