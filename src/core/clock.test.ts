import { describe, expect, it } from 'vitest';
import { fixedClock, steppingClock, systemClock } from './clock.js';

describe('clocks', () => {
  it('a fixed clock stays put until advanced', () => {
    const clock = fixedClock('2026-11-30T10:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-11-30T10:00:00.000Z');
    clock.advance(1_500);
    expect(clock.now().toISOString()).toBe('2026-11-30T10:00:01.500Z');
  });

  it('a stepping clock moves on by its step after each reading', () => {
    const clock = steppingClock('2026-11-30T10:00:00Z', 60_000);
    expect([clock.now(), clock.now(), clock.now()].map((d) => d.toISOString())).toEqual(['2026-11-30T10:00:00.000Z', '2026-11-30T10:01:00.000Z', '2026-11-30T10:02:00.000Z']);
  });

  it('a stepping clock with step 0 behaves as a fixed one, and refuses a negative or non-finite step', () => {
    const clock = steppingClock(new Date(Date.UTC(2026, 0, 1)), 0);
    expect(clock.now().getTime()).toBe(clock.now().getTime());
    expect(() => steppingClock('2026-01-01T00:00:00Z', -1)).toThrow(RangeError);
    expect(() => steppingClock('2026-01-01T00:00:00Z', Number.NaN)).toThrow(RangeError);
  });

  it('each reading of a clock is a new Date, so a caller cannot move the clock by mutating it', () => {
    for (const clock of [systemClock, fixedClock('2026-11-30T10:00:00Z'), steppingClock('2026-11-30T10:00:00Z', 0)]) {
      const first = clock.now();
      first.setTime(0);
      expect(clock.now().getTime()).not.toBe(0);
    }
  });
});
