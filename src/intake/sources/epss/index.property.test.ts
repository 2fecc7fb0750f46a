import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { parseEpss } from './index.js';

const sample = readFileSync(new URL('./fixtures/epss-sample.csv', import.meta.url));
const gzipped = gzipSync(sample);

function expectOnlyUfErrors(bytes: Uint8Array): void {
  try {
    const data = parseEpss(bytes, 'epss.csv');
    for (const error of data.errors) expect(error).toBeInstanceOf(UfError);
    for (const score of data.scores.values()) {
      expect(score.epss).toBeGreaterThanOrEqual(0);
      expect(score.percentile).toBeLessThanOrEqual(1);
    }
  } catch (error) {
    expect(error).toBeInstanceOf(UfError);
  }
}

describe('parseEpss on arbitrary input', () => {
  it('throws only UfError for random bytes and random text', () => {
    const input = fc.oneof(fc.uint8Array(), fc.string().map((s) => Buffer.from(s)), fc.string({ unit: 'binary' }).map((s) => Buffer.from(s)));
    fc.assert(fc.property(input, expectOnlyUfErrors), { numRuns: 500 });
  });

  it('throws only UfError for truncated and spliced copies, plain and gzipped', () => {
    const damaged = fc.oneof(
      fc.nat({ max: sample.length }).map((end) => sample.subarray(0, end)),
      fc.nat({ max: gzipped.length }).map((end) => gzipped.subarray(0, end)),
      fc
        .tuple(fc.nat({ max: sample.length }), fc.constantFrom(',', '\n', '#', '-1', 'e', '\r', '"', '\u0000'))
        .map(([at, inserted]) => Buffer.concat([sample.subarray(0, at), Buffer.from(inserted), sample.subarray(at)])),
      fc.tuple(fc.nat({ max: gzipped.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
        const copy = Buffer.from(gzipped);
        copy[at] = byte;
        return copy;
      }),
    );
    fc.assert(fc.property(damaged, expectOnlyUfErrors), { numRuns: 500 });
  });
});
