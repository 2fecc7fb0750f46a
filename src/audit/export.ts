import type { LogEntry } from './chain.js';

export type ExportFormat = 'jsonl' | 'csv';

const columns = ['seq', 'at', 'actor', 'action', 'subject', 'reason', 'evidenceRef', 'prevHash', 'hash'] as const;

export function csvHeader(): string {
  return columns.join(',') + '\n';
}

/** One line of the export. CSV quoting follows RFC 4180. */
export function formatEntry(entry: LogEntry, format: ExportFormat): string {
  if (format === 'jsonl') return JSON.stringify(entry) + '\n';
  return columns.map((column) => csvField(entry[column])).join(',') + '\n';
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // A leading =, +, - or @ would be run as a formula by spreadsheet programs; quote and prefix it.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r']/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
