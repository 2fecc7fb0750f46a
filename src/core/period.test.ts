import { describe, expect, it } from 'vitest';
import { parsePeriod } from './period.js';

describe('reporting periods', () => {
  it('reads quarters, months, years and ISO date ranges as half-open UTC ranges', () => {
    expect(parsePeriod('2026-Q4')).toEqual({ label: '2026-Q4', from: '2026-10-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
    expect(parsePeriod('2026q1')).toMatchObject({ label: '2026-Q1', from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    expect(parsePeriod('2026-11')).toEqual({ label: '2026-11', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(parsePeriod('2026-12')).toMatchObject({ to: '2027-01-01T00:00:00.000Z' });
    expect(parsePeriod('2026')).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
    // A range includes its last day.
    expect(parsePeriod('2026-11-01..2026-11-30')).toEqual({ label: '2026-11-01..2026-11-30', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(parsePeriod('2026-02-01/2026-02-28')).toMatchObject({ to: '2026-03-01T00:00:00.000Z' });
  });

  it('refuses anything else with the accepted forms', () => {
    expect(() => parsePeriod('2026-Q5', '--period')).toThrow(/--period "2026-Q5": not a period; expected a quarter \(2026-Q4\), a month \(2026-11\)/);
    expect(() => parsePeriod('2026-13')).toThrow(/month 13 is not 01 to 12/);
    expect(() => parsePeriod('2026-02-30..2026-03-01')).toThrow(/"2026-02-30" is not a calendar date/);
    expect(() => parsePeriod('2026-12-01..2026-11-01')).toThrow(/ends \(2026-11-01\) before it starts \(2026-12-01\)/);
    expect(() => parsePeriod('last quarter')).toThrow(/not a period/);
  });
});
