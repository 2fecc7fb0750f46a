import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { detectConflicts } from '../../src/governance/windows/conflicts.js';
import { compileWindows } from '../../src/governance/windows/policy.js';
import type { ScheduledChange, ServiceFacts } from '../../src/governance/windows/types.js';

const policy = compileWindows(
  parseConfig(
    [
      'version: 1',
      'windows:',
      '  allow:',
      '    - { name: nights, cron: "0 22 * * *", duration: 6h, timeZone: Europe/Berlin, select: { tiers: [critical] } }',
      '  blackouts:',
      '    - { name: year-end, from: "2026-12-20T00:00", to: "2027-01-04T00:00", timeZone: Europe/Berlin, reason: year-end freeze }',
      '',
    ].join('\n'),
    'factory.yaml',
  ).windows,
);

const facts: Record<string, ServiceFacts> = {
  checkout: { name: 'checkout', tier: 'critical', tags: [] },
  payments: { name: 'payments', tier: 'critical', tags: [] },
  search: { name: 'search', tier: 'low', tags: [] },
};
// checkout depends on payments.
const dependencies: Record<string, string[]> = { checkout: ['payments'] };

const change = (ref: string, services: string[], start: string, end: string, source: ScheduledChange['source'] = 'change'): ScheduledChange => ({ ref, upgradeId: `upg-${ref}`, services, start, end, source });
const detect = (changes: ScheduledChange[]) => detectConflicts({ changes, policy, facts: (s) => facts[s] ?? { name: s, tags: [] }, dependenciesOf: (s) => dependencies[s] ?? [] });

describe('conflict detection', () => {
  it('finds two changes on the same service overlapping in time, with the overlap', () => {
    const found = detect([change('change:a', ['search'], '2026-12-01T10:00:00Z', '2026-12-01T12:00:00Z'), change('change:b', ['search'], '2026-12-01T11:00:00Z', '2026-12-01T13:00:00Z')]);
    expect(found).toEqual([
      { kind: 'same-service', changes: ['change:a', 'change:b'], services: ['search'], from: '2026-12-01T11:00:00.000Z', to: '2026-12-01T12:00:00.000Z', text: expect.stringContaining('both change search') },
    ]);
    // Back to back is no overlap.
    expect(detect([change('change:a', ['search'], '2026-12-01T10:00:00Z', '2026-12-01T11:00:00Z'), change('change:b', ['search'], '2026-12-01T11:00:00Z', '2026-12-01T12:00:00Z')])).toEqual([]);
  });

  it('finds a change on a service overlapping one on something it depends on (a running rollout too)', () => {
    const found = detect([change('change:a', ['checkout'], '2026-12-01T22:00:00Z', '2026-12-01T23:00:00Z'), change('rollout:r', ['payments'], '2026-12-01T21:00:00Z', '2026-12-02T00:00:00Z', 'rollout')]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'dependency', services: ['checkout', 'payments'], from: '2026-12-01T22:00:00.000Z', to: '2026-12-01T23:00:00.000Z' });
    expect(found[0]!.text).toContain('checkout (change:a) depends on payments (rollout:r)');
    // A rollout and its own change record are one change.
    const own = { ...change('rollout:r', ['checkout'], '2026-12-01T22:00:00Z', '2026-12-01T23:00:00Z', 'rollout'), upgradeId: 'upg-change:a' };
    expect(detect([change('change:a', ['checkout'], '2026-12-01T22:00:00Z', '2026-12-01T23:00:00Z'), own])).toEqual([]);
  });

  it('finds a change outside any allowed window, and one running past its window’s end', () => {
    const outside = detect([change('change:a', ['checkout'], '2026-12-01T10:00:00Z', '2026-12-01T11:00:00Z')]);
    expect(outside).toEqual([expect.objectContaining({ kind: 'outside-window', services: ['checkout'], from: '2026-12-01T10:00:00.000Z', to: '2026-12-01T11:00:00.000Z' })]);
    expect(outside[0]!.text).toContain('the next allowed window opens at 2026-12-01T21:00:00.000Z');
    const pastEnd = detect([change('change:b', ['checkout'], '2026-12-02T02:00:00Z', '2026-12-02T04:00:00Z')]);
    expect(pastEnd).toEqual([expect.objectContaining({ kind: 'outside-window', from: '2026-12-02T03:00:00.000Z', to: '2026-12-02T04:00:00.000Z' })]);
    // Inside the window; search has no allow window (defaultAllow) and may change at any time.
    expect(detect([change('change:c', ['checkout'], '2026-12-01T22:00:00Z', '2026-12-02T01:00:00Z'), change('change:d', ['search'], '2026-12-01T10:00:00Z', '2026-12-01T11:00:00Z')])).toEqual([]);
  });

  it('finds a change inside a blackout, with the part of it that is', () => {
    const found = detect([change('change:a', ['search'], '2026-12-19T20:00:00Z', '2026-12-20T02:00:00Z')]);
    expect(found).toEqual([
      { kind: 'inside-blackout', changes: ['change:a'], services: ['search'], from: '2026-12-19T23:00:00.000Z', to: '2026-12-20T02:00:00.000Z', window: 'year-end', text: expect.stringContaining('year-end freeze') },
    ]);
  });
});
