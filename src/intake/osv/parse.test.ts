import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catchUfError } from '../../../test/helpers/errors.js';
import { parseOsvDocument, parseOsvRecord, parseOsvText } from './parse.js';
import type { Advisory } from './types.js';
import { sharedData } from '../../../test/helpers/shared-data.js';

const osv = sharedData('osv');

function jsonFiles(folder: string, suffix = '.json'): string[] {
  return readdirSync(osv.path(folder)).filter((name) => name.endsWith(suffix)).sort();
}

function readAdvisory(folder: string, name: string): Advisory {
  const [advisory] = parseOsvText(readFileSync(osv.path(folder, name), 'utf8'), name);
  if (!advisory) throw new Error(`no record in ${name}`);
  return advisory;
}

describe.skipIf(!osv.available)(`real OSV files${osv.skipNote}`, () => {
  it('parses all 41 GitHub-reviewed advisories, each with its own id and content hash', () => {
    const files = jsonFiles('advisories');
    expect(files).toHaveLength(41);
    const advisories = files.map((name) => readAdvisory('advisories', name));
    expect(advisories.map((a) => `${a.id}.json`)).toEqual(files);
    expect(new Set(advisories.map((a) => a.contentHash)).size).toBe(41);
    for (const advisory of advisories) expect(advisory.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts every linter record but nointroduced-CVE-2023-41045.json, as the schema does', () => {
    const verdicts = jsonFiles('linter-testdata').map((name) => {
      const [outcome] = parseOsvDocument(readFileSync(osv.path('linter-testdata', name), 'utf8'), name);
      return [name, outcome?.error === undefined] as const;
    });
    expect(verdicts).toHaveLength(12);
    expect(verdicts.filter(([, valid]) => !valid).map(([name]) => name)).toEqual(['nointroduced-CVE-2023-41045.json']);
  });

  it('names file, record, path and line of the missing introduced event', () => {
    const name = 'nointroduced-CVE-2023-41045.json';
    const error = catchUfError(() => parseOsvText(readFileSync(osv.path('linter-testdata', name), 'utf8'), name));
    expect(error.code).toBe('import_invalid');
    expect(error.location).toMatchObject({ file: name, record: 'CVE-2023-41045', path: 'affected[0].ranges[0].events', line: 16 });
    expect(error.message).toContain('introduced');
  });

  it('accepts all 11 GHSA converter outputs (*.osv.json)', () => {
    const files = jsonFiles('ghsa-testdata', '.osv.json');
    expect(files).toHaveLength(11);
    for (const name of files) expect(readAdvisory('ghsa-testdata', name).id).toMatch(/^GHSA-/);
  });

  it('keeps the withdrawn timestamp of a withdrawn advisory', () => {
    const advisory = readAdvisory('ghsa-testdata', 'withdrawn.osv.json');
    expect(advisory).toMatchObject({ id: 'GHSA-35c4-f3rq-f9g3', withdrawn: '2018-10-11T17:29:49Z', aliases: ['CVE-2015-3227'] });
  });

  it('keeps aliases, severity vectors, GHSA severity and CWEs of Log4Shell', () => {
    const advisory = readAdvisory('advisories', 'GHSA-jfh8-c2jp-5v3q.json');
    expect(advisory.aliases).toEqual(['CVE-2021-44228']);
    expect(advisory.severity).toEqual([{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }]);
    expect(advisory.databaseSeverity).toBe('CRITICAL');
    expect(advisory.cwes).toEqual(['CWE-20', 'CWE-400', 'CWE-502', 'CWE-917']);
    expect(advisory.affected[0]).toMatchObject({
      package: { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.13.0' }, { fixed: '2.15.0' }] }],
    });
  });

  it('reads empty aliases and empty severity as empty lists, keeping the GHSA severity word', () => {
    const advisory = readAdvisory('advisories', 'GHSA-5crp-9r3c-p9vr.json');
    expect(advisory).toMatchObject({ aliases: [], severity: [], databaseSeverity: 'LOW' });
    expect(advisory.affected[0]?.package).toEqual({ ecosystem: 'NuGet', name: 'Newtonsoft.Json' });
  });

  it('keeps last_affected events and both CVSS v3 and v4 vectors', () => {
    const request = readAdvisory('advisories', 'GHSA-p8p7-x288-28g6.json');
    expect(request.affected.flatMap((a) => a.ranges.flatMap((r) => r.events))).toContainEqual({ last_affected: '2.88.2' });
    const express = readAdvisory('advisories', 'GHSA-qw6h-vgh9-j6wx.json');
    expect(express.severity.map((s) => s.type)).toEqual(['CVSS_V3', 'CVSS_V4']);
  });

  it('gives the same content hash to the same record indented another way, another hash to a changed one', () => {
    const text = readFileSync(osv.path('advisories', 'GHSA-jfh8-c2jp-5v3q.json'), 'utf8');
    const json = JSON.parse(text) as Record<string, unknown>;
    const original = parseOsvRecord(json, { file: 'a.json' }).contentHash;
    expect(parseOsvText(JSON.stringify(json, null, 4), 'b.json')[0]?.contentHash).toBe(original);
    expect(parseOsvRecord({ ...json, modified: '2030-01-01T00:00:00Z' }, { file: 'c.json' }).contentHash).not.toBe(original);
  });

  it('reads a JSON array of records, each problem in its own place', () => {
    const one = readFileSync(osv.path('advisories', 'GHSA-27h2-hvpr-p74q.json'), 'utf8');
    const two = readFileSync(osv.path('advisories', 'GHSA-34jh-p97f-mpxf.json'), 'utf8');
    const text = `[${one},\n{"id": "GHSA-xxxx-xxxx-xxxx", "modified": "yesterday"},\n${two}]`;
    const outcomes = parseOsvDocument(text, 'batch.json');
    expect(outcomes.map((o) => o.advisory?.id ?? 'error')).toEqual(['GHSA-27h2-hvpr-p74q', 'error', 'GHSA-34jh-p97f-mpxf']);
    expect(outcomes[1]?.error?.location).toMatchObject({ file: 'batch.json', record: 'GHSA-xxxx-xxxx-xxxx', path: 'modified' });
    expect(outcomes[1]?.error?.location?.line).toBe(one.split('\n').length + 1);
    expect(() => parseOsvText(text, 'batch.json')).toThrow(/timestamp/);
  });
});

describe('document-level problems', () => {
  it('reports malformed JSON as parse_error with line and column', () => {
    const error = catchUfError(() => parseOsvText('{\n  "id": "GHSA-1",\n  "modified": tru\n}', 'bad.json'));
    expect(error.code).toBe('parse_error');
    expect(error.location).toMatchObject({ file: 'bad.json', line: 3, column: 18 });
  });

  it('rejects a document that is neither object nor array', () => {
    const error = catchUfError(() => parseOsvText('"GHSA-1"', 'scalar.json'));
    expect(error).toMatchObject({ code: 'import_invalid', location: { file: 'scalar.json' } });
  });

  it('names a record without an id by its place in the array', () => {
    const [outcome] = parseOsvDocument('[{"modified": "2024-01-01T00:00:00Z"}]', 'ids.json');
    expect(outcome?.error?.location).toMatchObject({ file: 'ids.json', record: '[0]', path: 'id', line: 1 });
  });

  it('reports every bad record of a large batch, giving lines to the first hundred', () => {
    const text = `[\n${Array.from({ length: 2000 }, (_, i) => `{"id": "GHSA-${i}"}`).join(',\n')}\n]`;
    const errors = parseOsvDocument(text, 'many.json').map((outcome) => outcome.error);
    expect(errors).toHaveLength(2000);
    expect(errors[99]?.location).toMatchObject({ record: 'GHSA-99', path: 'modified', line: 101 });
    expect(errors[100]?.location).toEqual({ file: 'many.json', record: 'GHSA-100', path: 'modified' });
  });

  it('reports a record nested too deeply to hash as invalid, not as a crash', () => {
    const depth = 200_000;
    const text = `{"id": "GHSA-1", "modified": "2024-01-01T00:00:00Z", "database_specific": {"x": ${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const error = catchUfError(() => parseOsvText(text, 'deep.json'));
    expect(error).toMatchObject({ code: 'import_invalid', location: { file: 'deep.json', record: 'GHSA-1' } });
  });

  it('reads a file that starts with a byte-order mark', () => {
    const [advisory] = parseOsvText('\uFEFF{"id": "GHSA-1", "modified": "2024-01-01T00:00:00Z"}', 'bom.json');
    expect(advisory?.id).toBe('GHSA-1');
  });
});
