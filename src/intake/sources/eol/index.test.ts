import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { cycleOf, daysToEol, parseEolProduct } from './index.js';

// Shaped like https://endoflife.date/api/log4j.json (cycles, eol dates or flags, latest).
const log4j = JSON.stringify([
  { cycle: '2', releaseDate: '2014-07-12', eol: false, latest: '2.24.1' },
  { cycle: '2.12', releaseDate: '2019-06-23', eol: '2021-12-14', latest: '2.12.4' },
  { cycle: '2.3', releaseDate: '2015-05-09', eol: '2015-09-20', latest: '2.3.2' },
  { cycle: '1', releaseDate: '2001-01-08', eol: '2015-10-05', latest: '1.2.17' },
  { cycle: 'broken', eol: 'soon' },
]);

describe('endoflife.date product data', () => {
  it('reads cycles, reporting a bad one with its index and keeping the rest', () => {
    const product = parseEolProduct(log4j, 'log4j.json', 'log4j');
    expect(product.cycles.map((c) => c.cycle)).toEqual(['2', '2.12', '2.3', '1']);
    expect(product.errors).toHaveLength(1);
    expect(product.errors[0]?.describe()).toMatch(/^log4j\.json: \[4\]\.eol: /);
  });

  it('refuses an end-of-life date that is not on the calendar instead of counting NaN days', () => {
    const product = parseEolProduct(JSON.stringify([{ cycle: '2.14', eol: '2021-13-01' }, { cycle: '2.15', eol: '2021-02-30' }, { cycle: '2.16', eol: '2021-12-20' }]), 'x.json', 'x');
    expect(product.cycles.map((c) => c.cycle)).toEqual(['2.16']);
    expect(product.errors.map((e) => e.describe())).toEqual(['x.json: [0].eol: a YYYY-MM-DD date on the calendar', 'x.json: [1].eol: a YYYY-MM-DD date on the calendar']);
  });

  it('finds the most specific cycle of a version', () => {
    const product = parseEolProduct(log4j, 'log4j.json', 'log4j');
    expect(cycleOf(product, '2.12.1')?.cycle).toBe('2.12');
    expect(cycleOf(product, '2.14.1')?.cycle).toBe('2');
    expect(cycleOf(product, '1.2.17')?.cycle).toBe('1');
    expect(cycleOf(product, '3.0.0')).toBeUndefined();
  });

  it('counts days to end of support, negative once past', () => {
    const now = new Date('2021-12-01T00:00:00Z');
    expect(daysToEol({ cycle: '2.12', eol: '2021-12-14' }, now)).toBe(13);
    expect(daysToEol({ cycle: '1', eol: '2015-10-05' }, now)).toBeLessThan(0);
    expect(daysToEol({ cycle: '2', eol: false }, now)).toBeUndefined();
  });

  it('refuses malformed JSON with its position, and never throws anything but UfError', () => {
    expect(() => parseEolProduct('[{"cycle": ', 'x.json', 'x')).toThrow(UfError);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.nat({ max: log4j.length }).map((n) => log4j.slice(0, n))), (text) => {
        try {
          parseEolProduct(text, 'x.json', 'x');
        } catch (error) {
          expect(error).toBeInstanceOf(UfError);
        }
      }),
    );
  });
});
