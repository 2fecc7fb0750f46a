import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/helpers/shared-data.js';
import { parseOsvDocument } from './parse.js';

const record = (affected: unknown[]) => ({ id: 'GHSA-vers-ions-chck', modified: '2024-01-01T00:00:00Z', affected });
// Maven, PyPI (legacy versions), Debian and Packagist read almost any string; npm, NuGet, RubyGems and crates.io do not.
const lodash = { ecosystem: 'npm', name: 'lodash' };

function warningsOf(json: unknown): string[] {
  const text = JSON.stringify(json, null, 2);
  const [outcome] = parseOsvDocument(text, 'feed.json');
  if (!outcome || outcome.error) throw new Error('expected a valid record');
  return outcome.warnings.map((w) => w.describe());
}

describe('versions an OSV record names that its ecosystem cannot read', () => {
  it('reports an unreadable introduced with file, line, record id and field path, and keeps the record', () => {
    const [outcome] = parseOsvDocument(JSON.stringify(record([{ package: lodash, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0.0' }, { introduced: 'banana' }, { fixed: '4.17.21' }] }] }]), null, 2), 'feed.json');
    expect(outcome?.advisory?.id).toBe('GHSA-vers-ions-chck');
    expect(outcome?.error).toBeUndefined();
    const [warning, ...rest] = outcome?.advisory ? outcome.warnings : [];
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ code: 'import_invalid', location: { file: 'feed.json', record: 'GHSA-vers-ions-chck', path: 'affected[0].ranges[0].events[1].introduced', line: expect.any(Number) } });
    expect(warning?.message).toBe('not a valid npm version: "banana"; matching counts this range as affected from the first version (introduced "0")');
  });

  it('checks SEMVER ranges with SemVer, ECOSYSTEM ranges and versions with the ecosystem, and GIT ranges not at all', () => {
    const warnings = warningsOf(
      record([
        { package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: 'one.two' }] }], versions: ['1.0.0', 'one'] },
        { package: { ecosystem: 'PyPI', name: 'y' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { last_affected: '1.4.post1' }, { limit: '*' }] }, { type: 'GIT', repo: 'https://example.com/y', events: [{ introduced: '0' }, { fixed: 'a'.repeat(40) }] }] },
        { package: { ecosystem: 'Go', name: 'example.com/z' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: 'v1.2.3' }, { limit: 'never' }] }] },
      ]),
    );
    expect(warnings.map((w) => w.replace(/^feed\.json:\d+:\d+: GHSA-vers-ions-chck: /, ''))).toEqual([
      'affected[0].ranges[0].events[1].fixed: not a valid SemVer version: "one.two"; matching ignores this bound, so the range stays open',
      'affected[0].versions[1]: not a valid npm version: "one"; matching compares this entry as exact text only',
      'affected[2].ranges[0].events[2].limit: not a valid SemVer version: "never"; matching ignores this limit',
    ]);
  });

  it('leaves ecosystems without a version scheme alone (matching reports them as unsupported)', () => {
    expect(warningsOf(record([{ package: { ecosystem: 'Hackage', name: 'h' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 'banana' }] }] }]))).toEqual([]);
  });

  const advisories = sharedData('osv/advisories');
  it.skipIf(!advisories.available)(`finds nothing to report in the 41 real GitHub advisories${advisories.skipNote}`, () => {
    const files = readdirSync(advisories.dir).filter((f) => f.endsWith('.json'));
    const warnings = files.flatMap((f) => parseOsvDocument(readFileSync(advisories.path(f), 'utf8'), f).flatMap((o) => (o.advisory ? o.warnings : [])));
    expect(files).toHaveLength(41);
    expect(warnings).toEqual([]);
  });
});
