import { describe, expect, it } from 'vitest';
import { buildRiskInput } from '../pipeline/risk-input.js';
import { buildServiceGraph } from '../../catalog/service-map/index.js';
import { versionSchemeFor } from '../../ecosystems/index.js';
import { parseReleaseNotes, uncoveredBecause } from './index.js';
import { compareSemverLike, readFixture } from './testing.js';

const changelog = ['## 2.1.0', '- BREAKING: removed the old API', '## 2.0.0', '- Added x', '## 1.5.0', '- Fixed y', ''].join('\n');

describe('release notes cover a move only from end to end', () => {
  const notes = parseReleaseNotes(changelog, 'CHANGELOG.md');

  it('covers a range inside the notes', () => {
    expect(uncoveredBecause(notes, '1.5.0', '2.1.0', compareSemverLike)).toBeUndefined();
    expect(uncoveredBecause(notes, '1.6.0', '2.0.0', compareSemverLike)).toBeUndefined();
  });

  it('says why a range the notes only partly list is not covered', () => {
    expect(uncoveredBecause(notes, '1.5.0', '3.0.0', compareSemverLike)).toBe('the release notes stop at 2.1.0, before 3.0.0');
    expect(uncoveredBecause(notes, '1.0.0', '2.0.0', compareSemverLike)).toBe('the release notes start at 1.5.0, after 1.0.0');
  });

  it('does not take registry metadata for release notes', () => {
    const packument = parseReleaseNotes(readFixture('npm-packument/fixtures/packument.json'), 'packument.json');
    expect(packument.format).toBe('npm-packument');
    expect(uncoveredBecause(packument, '1.0.0', '2.0.0', compareSemverLike)).toMatch(/lists versions and deprecations, not changes/);
  });

  it('feeds risk: a partly covered move counts what the notes list, and says more may exist', () => {
    const candidate = { ecosystem: 'npm', name: 'x', purl: 'pkg:npm/x', currentVersions: ['1.5.0'], advisories: [], unfixed: [], explanation: '' };
    const context = { scheme: versionSchemeFor('npm')!, releaseNotes: notes, now: new Date('2026-11-02T00:00:00Z') };
    const covered = buildRiskInput(candidate, '2.1.0', [], [], buildServiceGraph([]), context).input.reversibility;
    expect(covered).toMatchObject({ breakingChanges: 1 });
    expect(covered.releaseNotesUnknown).toBeUndefined();
    const partial = buildRiskInput(candidate, '3.0.0', [], [], buildServiceGraph([]), context).input.reversibility;
    expect(partial).toMatchObject({ breakingChanges: 1, releaseNotesUnknown: 'the release notes stop at 2.1.0, before 3.0.0' });
    const none = buildRiskInput(candidate, '3.0.0', [], [], buildServiceGraph([]), { ...context, releaseNotes: undefined }).input.reversibility;
    expect(none.releaseNotesUnknown).toBe('no release notes for 1.5.0 → 3.0.0');
  });
});
