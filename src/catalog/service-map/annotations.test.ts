import { describe, expect, it } from 'vitest';
import { readCriticalPaths, readDowntimeCost, readFactoryAnnotations, readInternetExposed, readTier, readTrafficShare } from './annotations.js';

describe('upgrade-factory.io annotations', () => {
  it('reads tiers regardless of case and spacing', () => {
    expect(readTier(' Critical ')).toEqual({ ok: true, value: 'critical' });
    expect(readTier('urgent')).toMatchObject({ ok: false, expected: 'one of critical, high, medium, low' });
  });

  it('reads critical paths as a set in a stable order', () => {
    expect(readCriticalPaths('payment, auth,payment')).toEqual({ ok: true, value: ['auth', 'payment'] });
    expect(readCriticalPaths('')).toEqual({ ok: true, value: [] });
    expect(readCriticalPaths('auth, search').ok).toBe(false);
  });

  it.each([
    ['0.12', 0.12],
    ['12%', 0.12],
    [' 12 % ', 0.12],
    ['0', 0],
    ['1', 1],
    ['100%', 1],
    ['.5', 0.5],
  ])('reads traffic share %j as %d', (raw, share) => {
    expect(readTrafficShare(raw)).toEqual({ ok: true, value: share });
  });

  it.each(['1.5', '150%', '-0.1', 'half', '', '%', '1e-2', '0x1'])('refuses traffic share %j', (raw) => {
    expect(readTrafficShare(raw).ok).toBe(false);
  });

  it('reads downtime cost as a non-negative number', () => {
    expect(readDowntimeCost('12000')).toEqual({ ok: true, value: 12000 });
    expect(readDowntimeCost('99.5')).toEqual({ ok: true, value: 99.5 });
    expect(readDowntimeCost('-20').ok).toBe(false);
    expect(readDowntimeCost('$100').ok).toBe(false);
  });

  it('collects every bad value and names each annotation', () => {
    const result = readFactoryAnnotations({
      'upgrade-factory.io/tier': 'urgent',
      'upgrade-factory.io/traffic-share': 'lots',
      'upgrade-factory.io/downtime-cost-per-hour': '500',
    });
    expect(result.problems.map((problem) => problem.annotation)).toEqual(['upgrade-factory.io/tier', 'upgrade-factory.io/traffic-share']);
    expect(result.problems[0]?.message).toBe('expected one of critical, high, medium, low, got "urgent"');
    expect(result.factory.downtimeCostPerHour).toBe(500);
  });

  it('flags unknown upgrade-factory.io keys and leaves other annotations alone', () => {
    const result = readFactoryAnnotations({ 'upgrade-factory.io/teir': 'low', 'backstage.io/techdocs-ref': 'dir:.' });
    expect(result.unknown).toEqual(['upgrade-factory.io/teir']);
    expect(result.problems).toEqual([]);
    expect(result.factory).toEqual({ criticalPaths: [] });
  });

  it('reads internet exposure strictly as "true" or "false"', () => {
    expect(readFactoryAnnotations({ 'upgrade-factory.io/internet-exposed': 'true' })).toMatchObject({ factory: { internetExposed: true }, problems: [], unknown: [] });
    expect(readFactoryAnnotations({ 'upgrade-factory.io/internet-exposed': ' false ' }).factory.internetExposed).toBe(false);
    for (const raw of ['yes', '1', 'TRUE', 'False', '', 'exposed']) {
      expect(readInternetExposed(raw).ok).toBe(false);
      expect(readFactoryAnnotations({ 'upgrade-factory.io/internet-exposed': raw }).problems).toEqual([
        { annotation: 'upgrade-factory.io/internet-exposed', message: `expected "true" or "false", got ${JSON.stringify(raw)}` },
      ]);
    }
    expect(readFactoryAnnotations({}).factory.internetExposed).toBeUndefined();
  });
});
