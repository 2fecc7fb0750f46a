import { describe, expect, it } from 'vitest';
import { catchUfError } from '../../test/helpers/errors.js';
import { sortUpgrades } from './commands/upgrades.js';
import { checkKnown, closestNames, didYouMean, editDistance } from '../core/known-names.js';

describe('known names', () => {
  it('measures edits, a swap of neighbours counting as one', () => {
    expect(editDistance('payments', 'payments')).toBe(0);
    expect(editDistance('paymnts', 'payments')).toBe(1);
    expect(editDistance('pamyents', 'payments')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the close names, nearest first, and none when nothing is close', () => {
    expect(closestNames('paymnts', ['shop-web', 'payments', 'orders'])).toEqual(['payments']);
    expect(closestNames('prod', ['staging', 'production'])).toEqual(['production']);
    expect(closestNames('zzz', ['staging', 'production'])).toEqual([]);
    expect(didYouMean('paymnts', ['shop-web', 'payments', 'paymints'])).toBe("; did you mean 'payments' or 'paymints'?");
    expect(didYouMean('zzz', ['staging', 'production'])).toBe('');
  });

  it('refuses an unknown name as not found (exit 1), or as usage (exit 2) for a fixed set', () => {
    const unknown = catchUfError(() => checkKnown('service', '--service', 'nope', ['a', 'b']));
    expect(unknown.exitCode).toBe(1);
    expect(unknown.message).toBe("--service: unknown service 'nope' (known: a, b)");
    expect(catchUfError(() => checkKnown('order', '--sort', 'risky', ['risk', 'state'], 'usage')).exitCode).toBe(2);
    expect(() => checkKnown('service', '--service', 'a', ['a'])).not.toThrow();
  });
});

describe('upgrades list order', () => {
  const upgrade = (id: string, name: string, score: number | null, state = 'triaged', createdAt = '2026-01-01') => ({ id, ecosystem: 'npm', name, state, createdAt, score });
  const list = [upgrade('u1', 'b', 40), upgrade('u2', 'a', null), upgrade('u3', 'c', 90, 'intake', '2025-01-01'), upgrade('u4', 'd', 40)];

  it('puts the highest risk first, unscored last, ties by component', () => {
    expect(sortUpgrades(list, 'risk').map((u) => u.id)).toEqual(['u3', 'u1', 'u4', 'u2']);
  });

  it('sorts by component, state along the path, or creation', () => {
    expect(sortUpgrades(list, 'component').map((u) => u.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(sortUpgrades(list, 'state').map((u) => u.id)).toEqual(['u3', 'u1', 'u4', 'u2']);
    expect(sortUpgrades(list, 'created')[0]!.id).toBe('u3');
  });
});
