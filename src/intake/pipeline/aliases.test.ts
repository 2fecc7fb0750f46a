import { describe, expect, it } from 'vitest';
import type { Advisory } from '../osv/types.js';
import { aliasGroups } from './aliases.js';
import { fixedAdvisories, maxAliasesPerAdvisory, maxVectorsPerAdvisory } from './risk-input.js';

const record = (id: string, aliases: string[], extra: Partial<Advisory> = {}): Advisory => ({
  id,
  modified: '2024-01-01T00:00:00Z',
  aliases,
  related: [],
  upstream: [],
  severity: [],
  affected: [],
  references: [],
  cwes: [],
  contentHash: id,
  ...extra,
});

describe('aliasGroups', () => {
  it('joins records naming each other, directly or through a shared alias, under the first non-CVE id', () => {
    const groups = aliasGroups([record('CVE-2020-8203', ['GHSA-p6mc-m468-83gw']), record('GHSA-p6mc-m468-83gw', ['CVE-2020-8203']), record('PYSEC-1', ['CVE-2020-8203']), record('GHSA-other', [])]);
    expect(groups.get('CVE-2020-8203')).toEqual({ canonical: 'GHSA-p6mc-m468-83gw', ids: ['CVE-2020-8203', 'GHSA-p6mc-m468-83gw', 'PYSEC-1'], aliases: ['CVE-2020-8203', 'PYSEC-1'] });
    expect(groups.get('PYSEC-1')).toBe(groups.get('CVE-2020-8203'));
    expect(groups.get('GHSA-other')).toEqual({ canonical: 'GHSA-other', ids: ['GHSA-other'], aliases: [] });
  });

  it('chains groups transitively (A~X, B~X and B~Y, C~Y are one group)', () => {
    const groups = aliasGroups([record('GHSA-a', ['CVE-1']), record('GHSA-b', ['CVE-1', 'CVE-2']), record('GHSA-c', ['CVE-2'])]);
    expect(groups.get('GHSA-c')?.canonical).toBe('GHSA-a');
    expect(groups.get('GHSA-c')?.ids).toEqual(['GHSA-a', 'GHSA-b', 'GHSA-c']);
  });

  it('groups 50,000 records sharing one alias into one group, all sharing one group object', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => record(`GHSA-${String(i).padStart(6, '0')}`, ['CVE-2021-44228']));
    const groups = aliasGroups(many);
    const group = groups.get('GHSA-000000')!;
    expect(group.ids).toHaveLength(50_000);
    expect(groups.get('GHSA-049999')).toBe(group);
  });
});

describe('fixedAdvisories', () => {
  const kev = new Map([['CVE-2021-44228', { dateAdded: '2021-12-10', knownRansomware: true }]]);
  const epss = new Map([['CVE-2021-44228', { score: 0.94, percentile: 0.99 }], ['GHSA-b', { score: 0.1, percentile: 0.5 }]]);

  it('gives one entry per vulnerability with the KEV listing, highest EPSS, every vector and the worst label of its records', () => {
    const records = [
      record('GHSA-a', ['CVE-2021-44228'], { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }], databaseSeverity: 'HIGH' }),
      record('GHSA-b', ['CVE-2021-44228'], { databaseSeverity: 'CRITICAL' }),
      record('GHSA-c', []),
    ];
    const groups = aliasGroups(records);
    const fixed = fixedAdvisories(records, (id) => groups.get(id), { kev, epss });
    expect(fixed).toEqual([
      {
        id: 'GHSA-a',
        aliases: ['CVE-2021-44228', 'GHSA-b'],
        cvssVectors: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'],
        severityLabel: 'CRITICAL',
        epss: { score: 0.94, percentile: 0.99 },
        kev: { dateAdded: '2021-12-10', knownRansomware: true },
      },
      { id: 'GHSA-c', aliases: [], cvssVectors: [] },
    ]);
  });

  it('keeps a few aliases of a huge group, its CVE first', () => {
    const records = Array.from({ length: 5000 }, (_, i) => record(`GHSA-${String(i).padStart(5, '0')}`, ['CVE-2021-44228']));
    const groups = aliasGroups(records);
    const [only, ...rest] = fixedAdvisories(records, (id) => groups.get(id), { kev, epss });
    expect(rest).toEqual([]);
    expect(only?.aliases).toHaveLength(maxAliasesPerAdvisory);
    expect(only?.aliases[0]).toBe('CVE-2021-44228');
    expect(only?.kev).toBeDefined();
  });

  it('keeps the highest-scoring vectors of a group carrying too many distinct ones', () => {
    const levels = ['N', 'L', 'H'];
    const vectors = levels.flatMap((c) => levels.flatMap((i) => levels.map((a) => `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:${c}/I:${i}/A:${a}`)));
    const records = vectors.map((vector, n) => record(`GHSA-v${n}`, ['CVE-2099-1'], { severity: [{ type: 'CVSS_V3', score: vector }] }));
    const groups = aliasGroups(records);
    const [only] = fixedAdvisories(records, (id) => groups.get(id), { kev: new Map(), epss: new Map() });
    expect(vectors).toHaveLength(27);
    expect(only?.cvssVectors).toHaveLength(maxVectorsPerAdvisory);
    expect(only?.cvssVectors[0]).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(only?.cvssVectors).not.toContain('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N');
  });
});
