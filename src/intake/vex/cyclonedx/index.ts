import { looksLikePurl } from '../../../ecosystems/purl.js';
import type { VexDocument, VexProduct, VexStatement, VexStatus } from '../types.js';
import { cycloneDxVexSchema, cycloneDxVulnerabilitySchema, type CycloneDxVexComponent } from './schema.js';
import { invalidDocument, issueText } from '../errors.js';

/** CycloneDX analysis states as VEX statuses; `false_positive` means the product is not affected. */
const states: Record<string, VexStatus> = {
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
  false_positive: 'not_affected',
  not_affected: 'not_affected',
};

/**
 * CycloneDX VEX (1.4+): each `vulnerabilities[]` entry is a statement about the products in its
 * `affects[]`. A ref is a PURL, a bom-ref of a component in the document, or a BOM-link
 * (`urn:cdx:serial/version#bom-ref`) into another BOM; bom-refs are resolved to the component's
 * PURL and name when the document holds it. A bad entry is refused alone.
 */
export function readCycloneDxVex(json: unknown, file: string): VexDocument {
  const parsed = cycloneDxVexSchema.safeParse(json);
  if (!parsed.success) throw invalidDocument(file, parsed.error);
  const bom = parsed.data;
  const byRef = new Map<string, CycloneDxVexComponent>();
  const visit = (c: CycloneDxVexComponent | undefined) => {
    if (!c) return;
    if (c['bom-ref'] !== undefined) byRef.set(c['bom-ref'], c);
    for (const child of c.components ?? []) visit(child);
  };
  visit(bom.metadata?.component);
  for (const c of bom.components ?? []) visit(c);
  const timestamp = bom.metadata?.timestamp;
  const doc: VexDocument = { format: 'cyclonedx', statements: [], refused: [], ...(timestamp !== undefined ? { timestamp } : {}) };
  for (const [index, raw] of (bom.vulnerabilities ?? []).entries()) {
    const path = `vulnerabilities[${index}]`;
    const entry = cycloneDxVulnerabilitySchema.safeParse(raw);
    if (!entry.success) {
      doc.refused.push({ path, reason: issueText(entry.error) });
      continue;
    }
    const v = entry.data;
    const state = v.analysis?.state;
    if (state === undefined) {
      doc.refused.push({ path, vulnerability: v.id, reason: 'no analysis.state: the entry states nothing about exploitability' });
      continue;
    }
    if (!v.affects || v.affects.length === 0) {
      doc.refused.push({ path, vulnerability: v.id, reason: 'no affects[]: the entry names no product' });
      continue;
    }
    const status = states[state]!;
    const justification = v.analysis?.justification ?? (state === 'false_positive' ? 'false_positive' : undefined);
    const statedAt = v.analysis?.lastUpdated ?? timestamp;
    const statement: VexStatement = {
      vulnerability: v.id,
      aliases: (v.references ?? []).map((r) => r.id).filter((id) => id !== v.id),
      status,
      products: v.affects.map((a) => product(a.ref, a.versions, byRef)),
      path,
      ...(justification !== undefined ? { justification } : {}),
      ...(v.analysis?.detail !== undefined ? { detail: v.analysis.detail } : {}),
      ...(statedAt !== undefined ? { statedAt } : {}),
    };
    doc.statements.push(statement);
  }
  return doc;
}

function product(ref: string, versions: VexProduct['versions'], byRef: Map<string, CycloneDxVexComponent>): VexProduct {
  const result: VexProduct = { ref, subcomponents: [], ...(versions && versions.length > 0 ? { versions } : {}) };
  if (looksLikePurl(ref)) return { ...result, purl: ref };
  // BOM-link: the part after `#` is the bom-ref inside the linked BOM.
  const bomRef = /^urn:cdx:/i.test(ref) && ref.includes('#') ? decodeURIComponent(ref.slice(ref.indexOf('#') + 1)) : ref;
  const component = byRef.get(bomRef);
  return {
    ...result,
    ...(component?.purl !== undefined ? { purl: component.purl } : {}),
    ...(component?.name !== undefined ? { name: component.name } : {}),
  };
}
