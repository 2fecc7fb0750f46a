import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { isUfError } from '../../src/core/errors.js';
import { compileWindows, windowVerdict } from '../../src/governance/windows/policy.js';
import { zonedToInstant } from '../../src/governance/windows/zone.js';
import type { ServiceFacts } from '../../src/governance/windows/types.js';

const checkout: ServiceFacts = { name: 'checkout', tier: 'critical', tags: ['payment', 'service'] };
const search: ServiceFacts = { name: 'search', tier: 'low', tags: ['service'] };

function windows(yaml: string) {
  return compileWindows(parseConfig(`version: 1\nwindows:\n${yaml}`, 'factory.yaml').windows);
}
const at = (iso: string) => new Date(iso);

describe('change windows: time zones and daylight saving (croner, Vixie cron semantics)', () => {
  const berlin = windows(`  allow:\n    - { name: nightly, cron: "0 2 * * *", duration: 2h, timeZone: Europe/Berlin }\n`);

  it('Berlin, clocks forward (2026-03-29): the nonexistent 02:00 opens at 03:00 CEST, for two real hours', () => {
    const before = windowVerdict(berlin, checkout, at('2026-03-29T00:30:00Z'));
    expect(before).toMatchObject({ open: false, nextOpenAt: '2026-03-29T01:00:00.000Z' });
    expect(before.reason).toContain('2026-03-29 03:00 Europe/Berlin (+02:00)');
    expect(windowVerdict(berlin, checkout, at('2026-03-29T01:00:00Z'))).toMatchObject({ open: true, closesAt: '2026-03-29T03:00:00.000Z' });
    expect(windowVerdict(berlin, checkout, at('2026-03-29T02:59:59Z')).open).toBe(true);
    // 05:00 CEST: closed again; the next night opens at 02:00 CEST = 00:00Z.
    expect(windowVerdict(berlin, checkout, at('2026-03-29T03:00:00Z'))).toMatchObject({ open: false, nextOpenAt: '2026-03-30T00:00:00.000Z' });
    // The night before, still winter time: 02:00 CET = 01:00Z.
    expect(windowVerdict(berlin, checkout, at('2026-03-28T00:59:00Z'))).toMatchObject({ open: false, nextOpenAt: '2026-03-28T01:00:00.000Z' });
  });

  it('Berlin, clocks back (2026-10-25): the repeated 02:00 opens once, at its first occurrence (CEST)', () => {
    expect(windowVerdict(berlin, checkout, at('2026-10-24T23:59:00Z'))).toMatchObject({ open: false, nextOpenAt: '2026-10-25T00:00:00.000Z' });
    expect(windowVerdict(berlin, checkout, at('2026-10-25T00:00:00Z'))).toMatchObject({ open: true, closesAt: '2026-10-25T02:00:00.000Z' });
    // 02:00Z is 03:00 CET: two hours of real time have passed; the second 02:00 (01:00Z) opened nothing new.
    expect(windowVerdict(berlin, checkout, at('2026-10-25T02:00:00Z'))).toMatchObject({ open: false, nextOpenAt: '2026-10-26T01:00:00.000Z' });
  });

  it('New York: 02:30 skipped on 2026-03-08 opens at 03:00 EDT; 01:30 repeated on 2026-11-01 opens once', () => {
    const ny = windows(
      `  allow:\n    - { name: spring, cron: "30 2 8 3 *", duration: 30m, timeZone: America/New_York }\n    - { name: autumn, cron: "30 1 1 11 *", duration: 30m, timeZone: America/New_York }\n`,
    );
    expect(windowVerdict(ny, checkout, at('2026-03-08T06:30:00Z'))).toMatchObject({ open: false, nextOpenAt: '2026-03-08T07:00:00.000Z' });
    expect(windowVerdict(ny, checkout, at('2026-03-08T07:29:00Z')).open).toBe(true);
    expect(windowVerdict(ny, checkout, at('2026-03-08T07:30:00Z')).open).toBe(false);
    // 01:30 EDT = 05:30Z opens; 01:30 EST = 06:30Z (the repeat) does not.
    expect(windowVerdict(ny, checkout, at('2026-11-01T05:45:00Z')).open).toBe(true);
    expect(windowVerdict(ny, checkout, at('2026-11-01T06:45:00Z')).open).toBe(false);
  });

  it('reads blackout wall times in their zone, moving a skipped time forward and taking a repeated one first', () => {
    expect(zonedToInstant('2026-12-20T00:00', 'Europe/Berlin')?.toISOString()).toBe('2026-12-19T23:00:00.000Z');
    expect(zonedToInstant('2026-03-29T02:30', 'Europe/Berlin')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedToInstant('2026-10-25T02:30', 'Europe/Berlin')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedToInstant('2026-11-01T01:30', 'America/New_York')?.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedToInstant('2026-02-30T01:30', 'UTC')).toBeUndefined();
  });
});

describe('change windows: deny, blackouts, selectors, defaults', () => {
  const policy = windows(
    [
      '  allow:',
      '    - { name: business, cron: "0 9 * * 1-5", duration: 8h, timeZone: Europe/Berlin, select: { tiers: [critical] } }',
      '  deny:',
      '    - { name: lunch, cron: "0 12 * * *", duration: 1h, timeZone: Europe/Berlin, select: { tags: [payment] } }',
      '  blackouts:',
      '    - { name: year-end, from: "2026-12-20T00:00", to: "2027-01-04T00:00", timeZone: Europe/Berlin, reason: year-end freeze }',
      '',
    ].join('\n'),
  );

  it('deny beats allow; a blackout beats both; the verdict names what closed it and when it opens', () => {
    expect(windowVerdict(policy, checkout, at('2026-12-01T09:30:00Z')).open).toBe(true); // Tue 10:30 CET
    const lunch = windowVerdict(policy, checkout, at('2026-12-01T11:30:00Z'));
    expect(lunch).toMatchObject({ open: false, nextOpenAt: '2026-12-01T12:00:00.000Z' });
    expect(lunch.reason).toContain('deny window lunch');
    const frozen = windowVerdict(policy, checkout, at('2026-12-22T09:30:00Z'));
    expect(frozen.open).toBe(false);
    expect(frozen.reason).toContain('blackout year-end');
    expect(frozen.reason).toContain('year-end freeze');
    // 2027-01-04 is a Monday: the business window opens at 09:00 CET after the freeze ends.
    expect(frozen.nextOpenAt).toBe('2027-01-04T08:00:00.000Z');
  });

  it('a service no allow window selects may change at any time, unless defaultAllow is false', () => {
    expect(windowVerdict(policy, search, at('2026-12-06T03:00:00Z'))).toMatchObject({ open: true, closesAt: '2026-12-19T23:00:00.000Z' });
    const strict = windows('  defaultAllow: false\n');
    const closed = windowVerdict(strict, search, at('2026-12-06T03:00:00Z'));
    expect(closed).toMatchObject({ open: false, nextOpenAt: null });
    expect(closed.reason).toContain('defaultAllow is false');
  });
});

describe('change windows: configuration errors', () => {
  const problem = (yaml: string): string => {
    try {
      parseConfig(`version: 1\nwindows:\n${yaml}`, 'factory.yaml');
    } catch (error) {
      if (!isUfError(error)) throw error;
      return `${JSON.stringify(error.location)} ${error.message}`;
    }
    throw new Error('the config was accepted');
  };

  it('refuses an unknown time zone, naming the file, line and field', () => {
    const text = problem('  allow:\n    - name: nightly\n      cron: "0 2 * * *"\n      duration: 2h\n      timeZone: Europe/Berlim\n');
    expect(text).toContain('"file":"factory.yaml","line":7');
    expect(text).toMatch(/"path":"windows\.allow\[0\]\.timeZone"/);
    expect(text).toContain("unknown time zone 'Europe/Berlim'");
  });

  it('refuses a 6-field cron, a zero duration and a blackout that ends before it starts', () => {
    expect(problem('  deny:\n    - { name: x, cron: "0 0 2 * * *", duration: 1h }\n')).toContain('5-field cron');
    expect(problem('  deny:\n    - { name: x, cron: "0 2 * * *", duration: 0s }\n')).toContain('positive duration');
    expect(problem('  blackouts:\n    - { name: x, from: "2026-12-20T00:00", to: "2026-12-19T00:00" }\n')).toContain("'to' (2026-12-19T00:00) must be after 'from'");
  });
});
