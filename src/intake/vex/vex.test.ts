import { describe, expect, it } from 'vitest';
import { UfError } from '../../core/errors.js';
import { parseVex } from './parse.js';
import { versionCovered } from './vers.js';

describe('VEX parsing', () => {
  it('reads CycloneDX states, justifications and BOM-link refs resolved to the linked product', () => {
    const doc = parseVex(
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        components: [{ 'bom-ref': 'lib', name: 'log4j-core', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }],
        vulnerabilities: [
          { id: 'CVE-1', analysis: { state: 'resolved' }, affects: [{ ref: 'urn:cdx:cbb2cd68-2857-43b8-a10b-e8c03d277d18/1#product-ABC' }] },
          { id: 'CVE-2', analysis: { state: 'false_positive' }, affects: [{ ref: 'lib' }] },
          { id: 'CVE-3', analysis: { state: 'in_triage' } },
          { id: 'CVE-4', affects: [{ ref: 'lib' }] },
        ],
      }),
      'x.json',
    );
    expect(doc.format).toBe('cyclonedx');
    expect(doc.statements.map((s) => [s.vulnerability, s.status, s.justification, s.products[0]!.ref, s.products[0]!.purl])).toEqual([
      ['CVE-1', 'fixed', undefined, 'urn:cdx:cbb2cd68-2857-43b8-a10b-e8c03d277d18/1#product-ABC', undefined],
      ['CVE-2', 'not_affected', 'false_positive', 'lib', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'],
    ]);
    expect(doc.refused.map((r) => r.path)).toEqual(['vulnerabilities[2]', 'vulnerabilities[3]']);
  });

  it('reads OpenVEX v0.0.1 (strings) and v0.2 (objects, subcomponents); not_affected needs a justification', () => {
    const doc = parseVex(
      JSON.stringify({
        '@context': 'https://openvex.dev/ns',
        statements: [
          { vulnerability: 'CVE-1', products: ['pkg:npm/a@1.0.0'], subcomponents: ['pkg:npm/b@2.0.0'], status: 'not_affected', justification: 'component_not_present' },
          { vulnerability: { name: 'CVE-2', aliases: ['GHSA-x'] }, products: [{ '@id': 'https://example.com/product', subcomponents: [{ '@id': 'pkg:npm/c' }] }], status: 'fixed' },
          { vulnerability: { name: 'CVE-3' }, products: ['pkg:npm/a'], status: 'not_affected', impact_statement: 'trust us' },
        ],
      }),
      'o.json',
    );
    expect(doc.statements).toMatchObject([
      { vulnerability: 'CVE-1', products: [{ ref: 'pkg:npm/a@1.0.0', purl: 'pkg:npm/a@1.0.0', subcomponents: ['pkg:npm/b@2.0.0'] }] },
      { vulnerability: 'CVE-2', aliases: ['GHSA-x'], products: [{ ref: 'https://example.com/product', subcomponents: ['pkg:npm/c'] }] },
    ]);
    expect(doc.refused).toEqual([{ path: 'statements[2]', vulnerability: 'CVE-3', reason: expect.stringContaining('without a justification') }]);
  });

  it('refuses what is no VEX document with a typed error naming the file', () => {
    expect(() => parseVex('{"bomFormat": "SPDX"}', 'n.json')).toThrow(UfError);
    expect(() => parseVex('{', 'n.json')).toThrow(/n\.json|invalid JSON/);
  });
});

describe('vers ranges', () => {
  it('covers exact versions and generic intervals as CISA Case-6 writes them', () => {
    const unaffected = [{ range: 'vers:generic/>=1.0|<=2.3' }, { version: '2.5' }, { range: 'vers:generic/>=2.7|<=2.8' }, { version: '4.2' }];
    const covered = (v: string) => unaffected.some((e) => versionCovered(v, e));
    expect(['1.0', '2.3', '2.5', '2.7', '4.2'].map(covered)).toEqual([true, true, true, true, true]);
    expect(['0.9', '2.4', '2.6', '2.9', '4.1', '10.0'].map(covered)).toEqual([false, false, false, false, false, false]);
    expect(versionCovered('2.10', { range: 'vers:generic/>=2.9|<=4.1' })).toBe(true);
  });

  it('uses the ecosystem scheme for typed ranges, and handles open ends and exclusions', () => {
    expect(versionCovered('1.0.0-rc.1', { range: 'vers:npm/<1.0.0' })).toBe(true);
    expect(versionCovered('3.0.0', { range: 'vers:npm/>=2.0.0' })).toBe(true);
    expect(versionCovered('2.1.0', { range: 'vers:npm/>=2.0.0|!=2.1.0' })).toBe(false);
    expect(versionCovered('5.0', { range: 'vers:generic/*' })).toBe(true);
    expect(versionCovered('5.0', { range: 'not-a-range' })).toBe(false);
  });
});
