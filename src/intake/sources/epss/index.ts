import { UfError } from '../../../core/errors.js';
import { gunzipInputSync, inputLimit, isGzip, type InputLimit } from '../../../core/input/index.js';
import { stripBom } from '../../../core/json-text.js';
import { isFeedTimestamp } from '../calendar.js';
import { decodeUtf8 } from '../events.js';
import { readLocalCopy, type LocalCopyOptions } from '../http-cache/index.js';
import { epssColumns, epssRowSchema } from './schema.js';
import type { EpssData } from './types.js';

export type { EpssData, EpssScore } from './types.js';

/** Line problems reported one by one; past this, one summary says how many more there were. */
export const maxReportedLineErrors = 100;

/**
 * Reads FIRST's EPSS CSV, gzip-compressed or plain (told by its first bytes):
 * an optional `#model_version:…,score_date:…` line, the header `cve,epss,percentile` (columns
 * found by name), then one CVE per line. A bad or repeated line becomes an error located by line
 * (the first of two repeats is kept) and the rest are read. A damaged gzip stream, text that is
 * not UTF-8, or no header throws UfError: nothing in the file can be trusted then. Inflating stops
 * at `limit` (`limits.epss`; the full daily file is about 10 MB inflated): `input_too_large`.
 */
export function parseEpss(bytes: Uint8Array, file: string, limit: InputLimit = inputLimit('epss')): EpssData {
  const text = decodeUtf8(isGzip(bytes) ? gunzipInputSync(bytes, limit, file) : bytes, file);
  const lines = stripBom(text).split(/\r?\n/);
  const data: EpssData = { scores: new Map(), errors: [], invalid: 0 };
  let columns: Map<string, number> | undefined;
  let skipped = 0;
  const report = (line: number, message: string, record?: string): void => {
    data.invalid += 1;
    if (data.errors.length >= maxReportedLineErrors) {
      skipped += 1;
      return;
    }
    data.errors.push(new UfError('import_invalid', message, record === undefined ? { file, line } : { file, line, record }));
  };

  lines.forEach((raw, index) => {
    const line = raw.trim();
    const number = index + 1;
    if (line === '') return;
    if (line.startsWith('#')) {
      if (columns === undefined) readComment(line, data, (message) => data.errors.push(new UfError('import_invalid', message, { file, line: number })));
      return;
    }
    if (columns === undefined) {
      columns = headerColumns(line, file, number);
      return;
    }
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length !== columns.size) {
      report(number, `expected ${columns.size} comma-separated values, found ${cells.length}`);
      return;
    }
    const row = epssRowSchema.safeParse(Object.fromEntries(epssColumns.map((name) => [name, cells[columns?.get(name) ?? -1]])));
    const cve = cells[columns.get('cve') ?? -1];
    if (!row.success) {
      const issue = row.error.issues[0];
      report(number, `${String(issue?.path[0] ?? 'line')}: ${issue?.message ?? 'unexpected value'}`, cve);
      return;
    }
    if (data.scores.has(row.data.cve)) {
      report(number, 'this CVE is scored twice; the first line is kept', row.data.cve);
      return;
    }
    data.scores.set(row.data.cve, { epss: row.data.epss, percentile: row.data.percentile });
  });

  if (columns === undefined) throw new UfError('import_invalid', 'not an EPSS file: no header line cve,epss,percentile', { file });
  if (skipped > 0) data.errors.push(new UfError('import_invalid', `${skipped} more lines had problems`, { file }));
  return data;
}

/** Reads an EPSS file, or an http(s) URL through the cache (`cacheDir` required then). */
export async function loadEpss(spec: string | URL, options: LocalCopyOptions = {}): Promise<EpssData> {
  const limit = options.limit ?? inputLimit('epss');
  const { bytes, label } = await readLocalCopy(spec, { ...options, limit });
  return parseEpss(bytes, label, limit);
}

/** `#model_version:v2025.03.14,score_date:2025-08-25T00:00:00Z`: key:value pairs; others are kept out. */
function readComment(line: string, data: EpssData, problem: (message: string) => void): void {
  for (const pair of line.slice(1).split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) continue;
    const key = pair.slice(0, colon).trim();
    const value = pair.slice(colon + 1).trim();
    if (key === 'model_version' && value !== '') data.modelVersion = value;
    if (key !== 'score_date' || value === '') continue;
    // A date that cannot be read is reported and left out, never stored as the scores' date.
    if (!isFeedTimestamp(value)) problem(`score_date: not a date: ${JSON.stringify(value.slice(0, 40))}`);
    else data.scoreDate = value;
  }
}

function headerColumns(line: string, file: string, number: number): Map<string, number> {
  const names = line.split(',').map((name) => name.trim().toLowerCase());
  const columns = new Map(names.map((name, index) => [name, index]));
  const missing = epssColumns.filter((name) => !columns.has(name));
  if (missing.length > 0 || columns.size !== names.length) {
    const message = `not an EPSS header: expected the columns cve, epss and percentile once each, found "${line.slice(0, 80)}"`;
    throw new UfError('import_invalid', message, { file, line: number });
  }
  return columns;
}
