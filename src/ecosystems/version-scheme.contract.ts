import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUfError } from '../core/errors.js';
import { hasVersionOrderFixtures, orderFailures, readOrderFixture, versionOrderDir } from './order-fixtures.js';
import type { VersionScheme } from './types.js';

/**
 * The shared contract every VersionScheme passes (Hono's `runTest` habit): a scheme is done when
 * this suite is green against it. Import it from a scheme's test file only.
 */
export interface ContractOptions {
  /**
   * Pairs `[pre-release, release]` of real versions: the first is a pre-release of the second, so
   * it must be a pre-release, order below it and share its major, while the release is none.
   * Every scheme names some, Debian included (its `~` reading).
   */
  prereleases: readonly (readonly [prerelease: string, release: string])[];
  /** Strings the scheme must reject (isValid false, compare and satisfies throw parse_error). */
  invalid?: readonly string[];
  /** Ranges the scheme must reject with parse_error. */
  invalidRanges?: readonly string[];
  /** How to spell `>= v` and `< v` in the scheme's range syntax, when it has both. */
  ranges?: {
    atLeast: (version: string) => string;
    below: (version: string) => string;
    /** Versions to build ranges from and test against them; defaults to the samples. */
    samples?: readonly string[];
    /**
     * Candidates the ecosystem's ranges treat specially on purpose (npm, Cargo and pip leave out
     * pre-releases a range does not name); they are left out of this check and tested by the scheme.
     */
    skip?: (version: string) => boolean;
  };
}

/** Characters that make parsers of every ecosystem take their odd branches. */
const versionish = fc
  .array(
    fc.constantFrom(
      ...'0123456789'.split(''),
      ...'.-+_~:!*^,|#@ '.split(''),
      ...'[]()<>=xXvV'.split(''),
      'a', 'b', 'c', 'rc', 'RC', 'dev', 'post', 'pre', 'alpha', 'beta', 'sp', 'ga', 'SNAPSHOT', 'pl', 'p', 'final', '||', ' - ',
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));
const anyText = fc.oneof(versionish, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));

/** Inputs that make backtracking regexes or naive loops take seconds. */
const longInputs = [
  '1.'.repeat(4000),
  `${'1'.repeat(20000)}!`,
  `${'1.1'.repeat(3000)}-`,
  'a-'.repeat(4000),
  `1.0${'-a.0'.repeat(2000)}+`,
  `[1,${'1.0,'.repeat(2000)}`,
  `>=1.0 ${'<2 '.repeat(2000)}||`,
  '~'.repeat(10000),
];

export function runVersionSchemeContract(scheme: VersionScheme, samples: readonly string[], options: ContractOptions): void {
  describe(`${scheme.ecosystem}: VersionScheme contract`, () => {
    it('accepts every sample', () => {
      expect(samples.filter((sample) => !scheme.isValid(sample))).toEqual([]);
    });

    it('orders samples reflexively, antisymmetrically and transitively', () => {
      const order = samples.map((a) => samples.map((b) => scheme.compare(a, b)));
      samples.forEach((a, i) => {
        expect(order[i]?.[i], `${a} vs itself`).toBe(0);
        samples.forEach((b, j) => expect(order[j]?.[i], `${b} vs ${a}`).toBe(-(order[i]?.[j] ?? NaN) || 0));
      });
      const broken: string[] = [];
      for (let i = 0; i < samples.length; i++) {
        for (let j = 0; j < samples.length; j++) {
          for (let k = 0; k < samples.length; k++) {
            const ij = order[i]?.[j] ?? 0;
            const jk = order[j]?.[k] ?? 0;
            const ik = order[i]?.[k] ?? 0;
            if (ij <= 0 && jk <= 0 && !(ik <= 0 && (ij < 0 || jk < 0 ? ik < 0 : ik === 0))) {
              broken.push(`${samples[i]} ${ij} ${samples[j]} ${jk} ${samples[k]} but ${ik}`);
            }
          }
        }
      }
      expect(broken).toEqual([]);
    });

    it('rejects invalid versions everywhere with parse_error', () => {
      for (const bad of options.invalid ?? []) {
        expect(scheme.isValid(bad), bad).toBe(false);
        expectParseError(() => scheme.compare(bad, samples[0] ?? bad));
        expectParseError(() => scheme.compare(samples[0] ?? bad, bad));
        expectParseError(() => scheme.satisfies(bad, options.ranges?.atLeast(samples[0] ?? bad) ?? '*'));
        expectParseError(() => scheme.major(bad));
        expectParseError(() => scheme.isPrerelease(bad));
      }
    });

    it('orders each named pre-release below its release, in the same major', () => {
      expect(options.prereleases.length).toBeGreaterThan(0);
      const wrong: string[] = [];
      for (const [prerelease, release] of options.prereleases) {
        if (!scheme.isPrerelease(prerelease)) wrong.push(`${prerelease} is not a pre-release`);
        if (scheme.isPrerelease(release)) wrong.push(`${release} is a pre-release`);
        if (scheme.compare(prerelease, release) >= 0) wrong.push(`${prerelease} does not order below ${release}`);
        const [a, b] = [scheme.major(prerelease), scheme.major(release)];
        if (a === undefined || a !== b) wrong.push(`${prerelease} has major ${a}, ${release} has ${b}`);
      }
      expect(wrong).toEqual([]);
    });

    it('gives versions it holds equal the same major and the same pre-release answer', () => {
      const differing: string[] = [];
      for (const a of samples) {
        for (const b of samples) {
          if (scheme.compare(a, b) !== 0) continue;
          if (scheme.major(a) !== scheme.major(b)) differing.push(`${a} = ${b} but majors ${scheme.major(a)} and ${scheme.major(b)}`);
          if (scheme.isPrerelease(a) !== scheme.isPrerelease(b)) differing.push(`${a} = ${b} but pre-release ${scheme.isPrerelease(a)} and ${scheme.isPrerelease(b)}`);
        }
      }
      expect(differing).toEqual([]);
    });

    it('keeps the versions of one major together in version order', () => {
      samples.forEach((version) => expect(scheme.major(version) ?? '0', `major of ${version}`).toMatch(/^[0-9]/));
      expect(splitMajors(scheme, samples)).toEqual([]);
    });

    it('rejects invalid ranges with parse_error', () => {
      for (const bad of options.invalidRanges ?? []) expectParseError(() => scheme.satisfies(samples[0] ?? '', bad));
    });

    it('isValid agrees with compare, major and isPrerelease on arbitrary strings', () => {
      fc.assert(
        fc.property(anyText, (text) => {
          if (scheme.isValid(text)) {
            expect(scheme.compare(text, text)).toBe(0);
            scheme.major(text);
            scheme.isPrerelease(text);
          } else {
            expectParseError(() => scheme.compare(text, text));
          }
        }),
        { numRuns: 600 },
      );
    });

    it('throws nothing but UfError on arbitrary versions and ranges', () => {
      fc.assert(
        fc.property(anyText, anyText, fc.constantFrom(...samples), (text, other, sample) => {
          onlyUfErrors(() => scheme.compare(text, other));
          onlyUfErrors(() => scheme.compare(sample, text));
          onlyUfErrors(() => scheme.satisfies(sample, text));
          onlyUfErrors(() => scheme.satisfies(text, other));
          onlyUfErrors(() => scheme.major(text));
          onlyUfErrors(() => scheme.isPrerelease(text));
        }),
        { numRuns: 600 },
      );
    });

    it('answers long pathological inputs quickly', () => {
      const started = performance.now();
      for (const text of longInputs) {
        onlyUfErrors(() => scheme.isValid(text));
        onlyUfErrors(() => scheme.compare(text, text));
        onlyUfErrors(() => scheme.satisfies(samples[0] ?? text, text));
        onlyUfErrors(() => scheme.major(text));
        onlyUfErrors(() => scheme.isPrerelease(text));
      }
      expect(performance.now() - started).toBeLessThan(2000);
    });

    const ranges = options.ranges;
    if (ranges !== undefined) {
      it('>= and < ranges agree with compare', () => {
        const bounds = ranges.samples ?? samples;
        const candidates = bounds.filter((version) => !(ranges.skip?.(version) ?? false));
        const disagreements: string[] = [];
        for (const bound of bounds) {
          for (const candidate of candidates) {
            const order = scheme.compare(candidate, bound);
            const atLeast = scheme.satisfies(candidate, ranges.atLeast(bound));
            const below = scheme.satisfies(candidate, ranges.below(bound));
            if (atLeast !== order >= 0) disagreements.push(`${candidate} in ${ranges.atLeast(bound)}: ${atLeast}`);
            if (below !== order < 0) disagreements.push(`${candidate} in ${ranges.below(bound)}: ${below}`);
          }
        }
        expect(disagreements).toEqual([]);
      });
    }
  });
}

/**
 * Registers one test per fixture file: every comparison line must hold both ways. Skips, with the
 * reason in the suite name, when the shared data folder is not beside the checkout.
 */
export function runOrderFixtures(scheme: VersionScheme, files: readonly string[], spell?: (version: string) => string): void {
  const title = hasVersionOrderFixtures
    ? `${scheme.ecosystem}: version-order fixtures`
    : `${scheme.ecosystem}: version-order fixtures (skipped: ${versionOrderDir} not found)`;
  describe.skipIf(!hasVersionOrderFixtures)(title, () => {
    for (const file of files) {
      const lines = hasVersionOrderFixtures ? readOrderFixture(file) : [];
      it(`${file}: all ${lines.length} comparisons hold both ways`, () => {
        expect(lines.length).toBeGreaterThan(0);
        expect(orderFailures(scheme, file, lines, spell).slice(0, 25)).toEqual([]);
      });
    }
    it('majors and pre-release answers agree with the fixtures: equal versions share them, a major is one run', () => {
      const lines = files.flatMap((file) => (hasVersionOrderFixtures ? readOrderFixture(file) : []));
      const valid = (version: string): boolean => scheme.isValid(version);
      const spelled = lines.map(({ a, expected, b }) => ({ a: spell?.(a) ?? a, expected, b: spell?.(b) ?? b }));
      const differing = spelled
        .filter(({ a, expected, b }) => expected === 0 && valid(a) && valid(b))
        .filter(({ a, b }) => scheme.major(a) !== scheme.major(b) || scheme.isPrerelease(a) !== scheme.isPrerelease(b))
        .map(({ a, b }) => `${a} = ${b}`);
      expect(differing.slice(0, 25)).toEqual([]);
      const versions = [...new Set(spelled.flatMap(({ a, b }) => [a, b]))].filter(valid);
      expect(splitMajors(scheme, versions).slice(0, 5)).toEqual([]);
    });
  });
}

/** Majors whose versions do not form one run in version order, each with the versions in it. */
function splitMajors(scheme: VersionScheme, versions: readonly string[]): string[] {
  const sorted = [...versions].sort((a, b) => scheme.compare(a, b));
  const majors = sorted.map((version) => scheme.major(version));
  const count = new Map<string, number>();
  for (const major of majors) if (major !== undefined) count.set(major, (count.get(major) ?? 0) + 1);
  return [...count]
    .filter(([major, n]) => majors.lastIndexOf(major) - majors.indexOf(major) + 1 !== n)
    .map(([major]) => `${major}: ${sorted.filter((version) => scheme.major(version) === major).slice(0, 20).join(' ')}`);
}

function expectParseError(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(isUfError(error) ? error.code : error).toBe('parse_error');
    return;
  }
  expect.fail('expected a parse_error');
}

function onlyUfErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!isUfError(error)) throw error;
  }
}
