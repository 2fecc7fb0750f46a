import { UfError } from '../../core/errors.js';
import { parseCsv } from './csv.js';
import { changeTagIn } from './instant.js';
import { incidentFileSchema, incidentRecordSchema, type IncidentRecord } from './schema.js';
import type { IncidentInput } from './types.js';

export type IncidentFileFormat = 'csv' | 'json';

/** A record the file could not give: where it is and which field is wrong. */
export interface RefusedRecord {
  file: string;
  /** CSV: the row's line; JSON: absent (see `record`). */
  line?: number;
  /** JSON: `[index]`; CSV: the row's `id` when it has one. */
  record: string;
  field: string;
  message: string;
}

export interface ParsedIncidentFile {
  accepted: IncidentInput[];
  refused: RefusedRecord[];
}

const snake: Record<string, string> = { started_at: 'startedAt', resolved_at: 'resolvedAt', external_id: 'id' };

/**
 * The incidents of a CSV or JSON file. A record that does not validate is refused with its
 * place and field; the others are returned, so one bad row never holds back the batch. A file that
 * is not CSV or JSON at all is a `parse_error`.
 */
export function parseIncidentFile(text: string, file: string, format: IncidentFileFormat): ParsedIncidentFile {
  const raw = format === 'csv' ? csvRecords(text, file) : jsonRecords(text, file);
  const result: ParsedIncidentFile = { accepted: [], refused: [] };
  for (const { value, line, record } of raw) {
    const parsed = incidentRecordSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.') || '(record)';
        result.refused.push({ file, ...(line !== undefined ? { line } : {}), record, field, message: issue.message });
      }
      continue;
    }
    result.accepted.push(toInput(parsed.data));
  }
  return result;
}

/** One line per refused record, `file:line: record: field: message`. */
export function describeRefusal(r: RefusedRecord): string {
  return `${r.file}${r.line !== undefined ? `:${r.line}` : ''}: ${r.record}: ${r.field}: ${r.message}`;
}

function toInput(r: IncidentRecord): IncidentInput {
  return {
    source: r.source ?? 'import',
    externalId: r.id,
    title: r.title,
    service: r.service ?? null,
    severity: r.severity,
    startedAt: r.startedAt,
    resolvedAt: r.resolvedAt ?? null,
    changeRef: r.change ?? r.upgrade ?? changeTagIn(r.tags ?? []),
  };
}

interface RawRecord {
  value: unknown;
  line?: number;
  record: string;
}

function jsonRecords(text: string, file: string): RawRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UfError('parse_error', `not JSON: ${(error as Error).message}`, { file });
  }
  const list = incidentFileSchema.safeParse(data);
  if (!list.success) throw new UfError('parse_error', 'expected a JSON array of incidents or {"incidents": [...]}', { file });
  return list.data.map((value, index) => ({ value, record: `[${index}]` }));
}

function csvRecords(text: string, file: string): RawRecord[] {
  let rows;
  try {
    rows = parseCsv(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UfError('parse_error', (error as Error).message, { file });
  }
  const [header, ...body] = rows;
  if (!header) return [];
  const names = header.cells.map((h) => snake[h.trim()] ?? h.trim());
  return body.map((row) => {
    const value: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const cell = (row.cells[i] ?? '').trim();
      if (cell === '') return;
      value[name] = name === 'tags' ? cell.split(/[;\s]+/).filter(Boolean) : cell;
    });
    if (row.cells.length > names.length) value['(extra cells)'] = row.cells.slice(names.length);
    return { value, line: row.line, record: typeof value['id'] === 'string' ? `id ${value['id']}` : `row at line ${row.line}` };
  });
}
