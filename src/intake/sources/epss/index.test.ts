import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { catchUfError } from '../../../../test/helpers/errors.js';
import { loadEpss, maxReportedLineErrors, parseEpss } from './index.js';

const plainFile = fileURLToPath(new URL('./fixtures/epss-sample.csv', import.meta.url));
const gzipFile = fileURLToPath(new URL('./fixtures/epss-sample.csv.gz', import.meta.url));

const csv = (text: string) => Buffer.from(text);

describe('EPSS in FIRST’s daily CSV layout', () => {
  it('reads the plain fixture: model version, score date and 12 scores', async () => {
    const data = await loadEpss(plainFile);
    expect(data).toMatchObject({ modelVersion: 'v2025.03.14', scoreDate: '2025-08-25T12:55:00Z', errors: [] });
    expect(data.scores.size).toBe(12);
    expect(data.scores.get('CVE-2021-44228')).toEqual({ epss: 0.94358, percentile: 0.99957 });
  });

  it('reads the gzipped fixture, told by its magic bytes, to the same result', async () => {
    const plain = await loadEpss(plainFile);
    const gzipped = await loadEpss(gzipFile);
    expect(readFileSync(gzipFile).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gzipped.scores).toEqual(plain.scores);
    expect(gzipped.modelVersion).toBe(plain.modelVersion);
  });

  it('reads a file without the comment line, with CRLF endings and reordered columns', () => {
    const data = parseEpss(csv('percentile,cve,epss\r\n0.5,CVE-2024-1234,0.001\r\n'), 'old.csv');
    expect(data.modelVersion).toBeUndefined();
    expect(data.scores.get('CVE-2024-1234')).toEqual({ epss: 0.001, percentile: 0.5 });
  });

  it('reports bad lines by line number and goes on', () => {
    const text = [
      '#model_version:v1,score_date:2025-01-01T00:00:00Z',
      'cve,epss,percentile',
      'CVE-2024-0001,0.1,0.2',
      'CVE-2024-0002,1.5,0.2',
      'not-a-cve,0.1,0.2',
      'CVE-2024-0003,0.1',
      'CVE-2024-0004,,0.3',
      'CVE-2024-0001,0.9,0.9',
      'CVE-2024-0005,7e-05,0.01',
    ].join('\n');
    const data = parseEpss(csv(text), 'scores.csv');
    expect([...data.scores.keys()]).toEqual(['CVE-2024-0001', 'CVE-2024-0005']);
    expect(data.scores.get('CVE-2024-0001')?.epss).toBe(0.1);
    expect(data.errors.map((e) => [e.location?.line, e.location?.record])).toEqual([
      [4, 'CVE-2024-0002'],
      [5, 'not-a-cve'],
      [6, undefined],
      [7, 'CVE-2024-0004'],
      [8, 'CVE-2024-0001'],
    ]);
    expect(data.errors[0]?.describe()).toBe('scores.csv:4: CVE-2024-0002: epss: expected a value from 0 to 1');
    expect(data.invalid).toBe(5);
  });

  it('reports a score_date that is not a date and leaves it out, instead of storing it', () => {
    const data = parseEpss(csv('#model_version:v1,score_date:2025-02-30T00:00:00Z\ncve,epss,percentile\nCVE-2024-0001,0.1,0.2\n'), 'scores.csv');
    expect(data.scoreDate).toBeUndefined();
    expect(data.errors.map((e) => e.describe())).toEqual(['scores.csv:1: score_date: not a date: "2025-02-30T00:00:00Z"']);
    expect(data.scores.size).toBe(1);
    expect(data.invalid).toBe(0);
  });

  it('counts every bad line, also past the ones it reports one by one', () => {
    const lines = Array.from({ length: 250 }, (_, i) => `CVE-2024-${1000 + i},NaN,0.1`);
    expect(parseEpss(csv(['cve,epss,percentile', ...lines].join('\n')), 'nan.csv').invalid).toBe(250);
  });

  it(`reports at most ${maxReportedLineErrors} lines one by one, then how many more`, () => {
    const lines = Array.from({ length: 250 }, (_, i) => `junk-${i},x,y`);
    const data = parseEpss(csv(['cve,epss,percentile', ...lines].join('\n')), 'junk.csv');
    expect(data.errors).toHaveLength(maxReportedLineErrors + 1);
    expect(data.errors.at(-1)?.message).toBe('150 more lines had problems');
  });

  it('throws for a file without the header, a damaged gzip stream, or a missing file', async () => {
    expect(catchUfError(() => parseEpss(csv('CVE-2024-0001,0.1,0.2\n'), 'x.csv'))).toMatchObject({ code: 'import_invalid', location: { line: 1 } });
    expect(catchUfError(() => parseEpss(csv(''), 'x.csv')).code).toBe('import_invalid');
    const truncated = gzipSync(readFileSync(plainFile)).subarray(0, 60);
    expect(catchUfError(() => parseEpss(truncated, 'x.csv.gz'))).toMatchObject({ code: 'parse_error', location: { file: 'x.csv.gz' } });
    await expect(loadEpss('/nonexistent/epss.csv.gz')).rejects.toMatchObject({ code: 'not_found' });
  });
});
