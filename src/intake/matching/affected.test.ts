import { describe, expect, it } from 'vitest';
import type { Affected, RangeEvent } from '../osv/types.js';
import { versionSchemeFor } from '../../ecosystems/index.js';
import { includedInRange, isAffected } from './affected.js';

const npm = versionSchemeFor('npm')!;
const schemes = { ecosystem: npm, semver: npm };
const affected = (events: RangeEvent[], type: 'SEMVER' | 'ECOSYSTEM' | 'GIT' = 'ECOSYSTEM', versions: string[] = []): Affected => ({
  package: { ecosystem: 'npm', name: 'x' },
  ranges: [{ type, events, ...(type === 'GIT' ? { repo: 'https://example.com/x.git' } : {}) }],
  versions,
  severity: [],
});

describe('OSV affected evaluation (the spec pseudocode)', () => {
  it.each([
    ['everything from 0', [{ introduced: '0' }], { '0.0.1': true, '99.0.0': true }],
    ['before a fix', [{ introduced: '0' }, { fixed: '1.0.2' }], { '1.0.1': true, '1.0.2': false, '2.0.0': false }],
    ['two windows', [{ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '3.0.0' }, { fixed: '3.2.5' }], { '0.9.0': false, '1.0.0': true, '1.0.2': false, '2.0.0': false, '3.1.0': true, '3.2.5': false }],
    ['events out of order are sorted first', [{ fixed: '3.2.5' }, { introduced: '3.0.0' }, { fixed: '1.0.2' }, { introduced: '1.0.0' }], { '1.0.1': true, '2.0.0': false, '3.0.0': true }],
    ['last_affected is inclusive', [{ introduced: '0' }, { last_affected: '2.1.214' }], { '2.1.214': true, '2.1.215': false }],
    ['limit caps the range', [{ introduced: '1.0.0' }, { limit: '2.0.0' }], { '1.5.0': true, '2.0.0': false, '3.0.0': false }],
    ['limit * is infinity', [{ introduced: '1.0.0' }, { limit: '*' }], { '9.0.0': true }],
    ['pre-releases order before their release', [{ introduced: '5.0.0-alpha.1' }, { fixed: '5.0.0-beta.3' }], { '5.0.0-alpha.0': false, '5.0.0-beta.2': true, '5.0.0-beta.3': false, '5.0.0': false }],
  ] as [string, RangeEvent[], Record<string, boolean>][])('%s', (_name, events, cases) => {
    for (const [version, expected] of Object.entries(cases)) {
      expect(isAffected(version, affected(events), schemes), `${version}`).toBe(expected);
    }
  });

  it('matches listed versions even when a range does not', () => {
    expect(isAffected('0.5.0', affected([{ introduced: '1.0.0' }], 'ECOSYSTEM', ['0.5.0']), schemes)).toBe(true);
  });

  it('does not evaluate GIT ranges (commit hashes need the repository), but still uses the versions list', () => {
    const git = affected([{ introduced: 'a1b2c3' }, { fixed: 'd4e5f6' }], 'GIT', ['1.2.3']);
    expect(isAffected('1.2.3', git, schemes)).toBe(true);
    expect(isAffected('1.2.4', git, schemes)).toBe(false);
  });

  it('strips the v of Go module versions for SEMVER ranges', () => {
    const range = affected([{ introduced: '0' }, { fixed: '0.17.0' }], 'SEMVER').ranges[0]!;
    expect(includedInRange('v0.16.0', range, { ecosystem: versionSchemeFor('Go')!, semver: npm })).toBe(true);
    expect(includedInRange('v0.17.0', range, { ecosystem: versionSchemeFor('Go')!, semver: npm })).toBe(false);
  });

  it('never narrows a range for a bound it cannot read: an unreadable fix leaves it open', () => {
    expect(isAffected('1.5.0', affected([{ introduced: '1.0.0' }, { fixed: 'not a version' }]), schemes)).toBe(true);
    expect(isAffected('not a version', affected([{ introduced: '0' }]), schemes)).toBe(false);
  });

  it('counts an unreadable introduced as 0, so the record still matches below its fix instead of never', () => {
    const banana = affected([{ introduced: 'banana' }, { fixed: '2.0.0' }]);
    expect(isAffected('1.5.0', banana, schemes)).toBe(true);
    expect(isAffected('2.0.0', banana, schemes)).toBe(false);
  });
});
