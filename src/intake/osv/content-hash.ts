import { createHash } from 'node:crypto';

/**
 * Canonical JSON of a value parsed from JSON: object keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers as `JSON.stringify` writes them. For values that came out of
 * `JSON.parse` this is the RFC 8785 (JCS) form, so a record re-serialised with other indentation or
 * key order hashes the same. Recursive; very deep nesting throws RangeError, which callers report.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256, hex, of the canonical JSON: the content hash that lets the pipeline skip unchanged records. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
