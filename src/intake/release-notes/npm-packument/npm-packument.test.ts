import { describe, expect, it } from 'vitest';
import { catchUfError } from '../../../../test/helpers/errors.js';
import { readFixture } from '../testing.js';
import { parseNpmPackument } from './index.js';

describe('npm packument', () => {
  const notes = parseNpmPackument(readFixture('npm-packument/fixtures/packument.json'), 'packument.json');

  it('lists every version newest first with its UTC publish date and line', () => {
    expect(notes.format).toBe('npm-packument');
    expect(notes.releases.map((r) => [r.version, r.date, r.yanked, r.source.line])).toEqual([
      ['3.1.0-beta.0', '2024-06-01', false, 164],
      ['3.0.0', '2024-05-03', false, 139],
      ['2.4.1', '2024-03-14', false, 114],
      ['2.0.0', '2023-01-15', false, 89],
      ['1.2.0', '2022-04-01', true, 196],
      ['1.1.1', '2022-03-02', false, 63],
      ['1.1.0', '2022-03-01', false, 37],
      ['1.0.0', '2022-01-10', false, 11],
    ]);
    expect(notes.warnings).toEqual([]);
  });

  it('turns deprecation messages into deprecation changes; an empty message means not deprecated', () => {
    const byVersion = new Map(notes.releases.map((r) => [r.version, r.changes]));
    expect(byVersion.get('1.0.0')).toEqual([
      { kind: 'deprecation', kinds: ['deprecation'], text: '1.x is no longer maintained; please upgrade to 3.x', refs: [] },
    ]);
    // A deprecation that announces a vulnerability stays a deprecation and is also security.
    expect(byVersion.get('1.1.0')?.[0]).toMatchObject({ kind: 'security', kinds: ['security', 'deprecation'], refs: ['GHSA-4w2v-q235-vp99'] });
    expect(byVersion.get('1.1.1')).toEqual([]);
  });

  it('reads an abbreviated packument, which has no `time`', () => {
    const text = JSON.stringify({ name: 'x', modified: '2024-01-01T00:00:00Z', versions: { '1.0.0': { deprecated: 'use y' } } });
    expect(parseNpmPackument(text, 'x.json').releases).toMatchObject([{ version: '1.0.0', changes: [{ kind: 'deprecation' }], source: { line: 1 } }]);
  });

  it('warns about a version entry of the wrong shape and reads the others', () => {
    const text = '{\n  "versions": {\n    "1.0.0": {"deprecated": 5},\n    "2.0.0": {}\n  }\n}';
    const result = parseNpmPackument(text, 'p.json');
    expect(result.releases.map((r) => r.version)).toEqual(['2.0.0']);
    expect(result.warnings.map((w) => [w.code, w.location?.line, w.location?.path])).toEqual([['import_invalid', 3, 'versions["1.0.0"].deprecated']]);
  });

  it('reads a packument that starts with a byte-order mark, with the same lines', () => {
    const read = parseNpmPackument(`\uFEFF${readFixture('npm-packument/fixtures/packument.json')}`, 'packument.json');
    expect(read.releases).toEqual(notes.releases);
  });

  it('throws parse_error with a line for malformed JSON and import_invalid for the wrong shape', () => {
    expect(catchUfError(() => parseNpmPackument('{\n  "name": "x",\n  "versions": {\n', 'p.json'))).toMatchObject({
      code: 'parse_error',
      location: { file: 'p.json', line: 4 },
    });
    expect(catchUfError(() => parseNpmPackument('{\n  "name": "x",\n  "versions": []\n}', 'p.json'))).toMatchObject({
      code: 'import_invalid',
      location: { file: 'p.json', line: 3, path: 'versions' },
    });
  });
});
