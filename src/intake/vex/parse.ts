import { UfError } from '../../core/errors.js';
import { parseJsonText } from '../../core/json-text.js';
import { readCycloneDxVex } from './cyclonedx/index.js';
import { readOpenVex } from './openvex/index.js';
import type { VexDocument } from './types.js';

/** The importers, by format: the one place a new VEX format is registered. */
const readers = {
  cyclonedx: readCycloneDxVex,
  openvex: readOpenVex,
} satisfies Record<VexDocument['format'], (json: unknown, file: string) => VexDocument>;

/**
 * A VEX document's text to statements. The format is told from the content: CycloneDX has
 * `bomFormat`, OpenVEX an `@context` under openvex.dev. `not_affected` without a justification is
 * refused (CISA's minimum elements require one to close a finding), the rest of the document goes in.
 */
export function parseVex(text: string, file: string): VexDocument {
  const json = parseJsonText(text, { file });
  const format = detect(json);
  if (!format) throw new UfError('import_invalid', 'not a VEX document: expected CycloneDX (bomFormat) or OpenVEX (@context https://openvex.dev/ns/…)', { file });
  const doc = readers[format](json, file);
  const kept = [];
  for (const s of doc.statements) {
    if (s.status === 'not_affected' && (s.justification === undefined || s.justification.trim() === '')) {
      doc.refused.push({ path: s.path, vulnerability: s.vulnerability, reason: 'not_affected without a justification: refused, it cannot close a finding' });
    } else kept.push(s);
  }
  return { ...doc, statements: kept };
}

function detect(json: unknown): VexDocument['format'] | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  if (record.bomFormat === 'CycloneDX') return 'cyclonedx';
  if (typeof record['@context'] === 'string' && record['@context'].includes('openvex.dev')) return 'openvex';
  return undefined;
}
