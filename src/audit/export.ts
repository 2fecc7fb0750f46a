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

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A cell
 * a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading
 * apostrophe first, as OWASP's CSV injection guidance advises.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r']/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvField).join(',') + '\n';
}

/** What an export of a period proves against: the tree its inclusion proofs lead to. */
export interface ExportProofHeader {
  type: 'proof';
  /** The period, [from, to). */
  from: string;
  to: string;
  what: 'log' | 'approvals' | 'changes';
  treeSize: number;
  rootHash: string;
  /** The latest recorded checkpoint at or below treeSize, to check the root against (signed note text). */
  checkpoint: string | null;
  /** Hex RFC 6962 consistency proof from the checkpoint's tree to this tree (empty without a checkpoint). */
  consistencyProof: string[];
  leafHashing: 'RFC 6962: leaf = SHA-256(0x00 || canonical entry JSON), node = SHA-256(0x01 || left || right)';
}

/** An exported record with the log entry that vouches for it and that entry's inclusion proof. */
export interface ProvenRecord {
  record: Record<string, string | number | boolean | null>;
  /** The log entry that recorded it (null when none does: such a row is itself a finding). */
  entry: LogEntry | null;
  leafIndex: number | null;
  inclusionProof: string[];
}

export function formatProvenJsonl(row: ProvenRecord): string {
  return JSON.stringify(row) + '\n';
}

export function provenCsvHeader(recordColumns: readonly string[]): string {
  return csvRow([...recordColumns, 'logSeq', 'logHash', 'logSeal', 'leafIndex', 'inclusionProof']);
}

export function formatProvenCsv(row: ProvenRecord, recordColumns: readonly string[]): string {
  return csvRow([...recordColumns.map((c) => row.record[c]), row.entry?.seq, row.entry?.hash, row.entry?.seal, row.leafIndex, row.inclusionProof.join(' ')]);
}
