import { looksLikePurl } from '../../../ecosystems/purl.js';
import { invalidDocument, issueText } from '../errors.js';
import type { VexDocument, VexProduct } from '../types.js';
import { openVexDocumentSchema, openVexStatementSchema, type OpenVexComponentRef } from './schema.js';

/**
 * OpenVEX (v0.0.1 and v0.2.x): each statement names a vulnerability, products (PURLs or IRIs) and
 * optionally the subcomponents where the vulnerable code lives. A bad statement is refused alone.
 */
export function readOpenVex(json: unknown, file: string): VexDocument {
  const parsed = openVexDocumentSchema.safeParse(json);
  if (!parsed.success) throw invalidDocument(file, parsed.error);
  const { timestamp } = parsed.data;
  const doc: VexDocument = { format: 'openvex', statements: [], refused: [], ...(timestamp !== undefined ? { timestamp } : {}) };
  for (const [index, raw] of parsed.data.statements.entries()) {
    const path = `statements[${index}]`;
    const entry = openVexStatementSchema.safeParse(raw);
    if (!entry.success) {
      doc.refused.push({ path, reason: issueText(entry.error) });
      continue;
    }
    const s = entry.data;
    const vulnerability = typeof s.vulnerability === 'string' ? s.vulnerability : s.vulnerability.name;
    const aliases = typeof s.vulnerability === 'string' ? [] : (s.vulnerability.aliases ?? []);
    const shared = (s.subcomponents ?? []).map(refOf).filter((r) => r !== undefined);
    const products: VexProduct[] = s.products.map((p) => {
      const ref = refOf(p) ?? '';
      const purl = typeof p === 'string' ? (looksLikePurl(p) ? p : undefined) : (p.identifiers?.purl ?? (looksLikePurl(ref) ? ref : undefined));
      const own = typeof p === 'string' ? [] : (p.subcomponents ?? []).map(refOf).filter((r) => r !== undefined);
      return { ref, subcomponents: [...own, ...shared], ...(purl !== undefined ? { purl } : {}) };
    });
    const detail = s.impact_statement ?? s.status_notes;
    const statedAt = s.timestamp ?? timestamp;
    doc.statements.push({
      vulnerability,
      aliases,
      status: s.status,
      products,
      path,
      ...(s.justification !== undefined ? { justification: s.justification } : {}),
      ...(detail !== undefined ? { detail } : {}),
      ...(statedAt !== undefined ? { statedAt } : {}),
    });
  }
  return doc;
}

function refOf(c: OpenVexComponentRef): string | undefined {
  if (typeof c === 'string') return c;
  return c.identifiers?.purl ?? c['@id'];
}
