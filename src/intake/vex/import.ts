import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { appendLog } from '../../store/repos/operation-log.js';
import type { Store } from '../../store/open.js';
import { listFindings } from '../store/findings.js';
import { insertVexStatements, vexServiceNames, type StoredVexStatement } from '../store/vex-statements.js';
import { statementApplies } from '../findings/state.js';
import { advisoryIndex } from '../findings/view.js';
import { parseVex } from './parse.js';
import type { VexProduct, VexRefusal, VexStatement } from './types.js';

export interface VexImportInput {
  file: string;
  text: string;
  /** The service the document's products are (a supplier's VEX for what this service runs). */
  service?: string;
  /** Which version of the product the service runs, for statements that list product versions. */
  productVersion?: string;
  actor: string;
  now: Date;
}

export interface VexImportResult {
  file: string;
  format: 'cyclonedx' | 'openvex';
  statements: number;
  stored: number;
  /** The same document was imported before: nothing written. */
  unchanged: boolean;
  refused: VexRefusal[];
  /** Products that name no service or package uf knows: stored, applying to nothing yet. */
  unmatched: { path: string; vulnerability: string; product: string; why: string }[];
  /** Findings the imported statements apply to now, with the statement's status. */
  applied: { finding: string; service: string; advisory: string; purl: string; status: string; justification: string | null }[];
}

/**
 * Imports a CycloneDX VEX or OpenVEX document: statements are stored (so intake re-runs keep them
 * applied) and logged; `not_affected` with a justification and `fixed` close the findings they
 * cover, `affected` and `under_investigation` are recorded and shown. A refused statement does not
 * stop the others.
 */
export async function importVex(store: Store, input: VexImportInput): Promise<VexImportResult> {
  const doc = parseVex(input.text, input.file);
  const sha256 = createHash('sha256').update(input.text).digest('hex');
  const services = await vexServiceNames(store.db);
  const importedAt = input.now.toISOString();
  const rows: StoredVexStatement[] = [];
  const unmatched: VexImportResult['unmatched'] = [];
  for (const statement of doc.statements) {
    for (const product of statement.products) {
      const service = input.service ?? (product.purl === undefined ? serviceNamed(product, services) : undefined);
      const purls = product.subcomponents.length > 0 ? product.subcomponents : [product.purl ?? null];
      if (service === undefined && purls.every((p) => p === null)) {
        unmatched.push({ path: statement.path, vulnerability: statement.vulnerability, product: product.ref, why: 'names no PURL and no known service (give --service)' });
      }
      for (const purl of purls) rows.push(toRow(statement, product, service ?? null, purl, { sha256, file: input.file, format: doc.format, importedAt, actor: input.actor, productVersion: input.productVersion, fallbackTime: doc.timestamp }));
    }
  }
  // Read before writing: on SQLite the transaction holds the only connection.
  const findings = await listFindings(store.db, { status: 'open' });
  const advisories = await advisoryIndex(store.db);
  const applied: VexImportResult['applied'] = [];
  for (const f of findings) {
    const ids = advisories.idsOf(f.advisoryId);
    const last = rows.filter((r) => statementApplies(r, { finding: f, advisoryIds: ids })).at(-1);
    if (last) applied.push({ finding: f.id, service: f.service, advisory: f.advisoryId, purl: f.purl, status: last.status, justification: last.justification });
  }
  let stored = 0;
  await store.db.transaction().execute(async (trx) => {
    stored = await insertVexStatements(trx, rows);
    if (stored === 0) return;
    const closing = applied.filter((a) => a.status === 'not_affected' || a.status === 'fixed');
    await appendLog(
      trx,
      [
        { actor: input.actor, action: 'vex.import', subject: basename(input.file), reason: `${doc.format} VEX: ${doc.statements.length} statements, ${doc.refused.length} refused, ${closing.length} findings closed`, evidenceRef: `sha256:${sha256}` },
        ...closing.map((a) => ({ actor: input.actor, action: `finding.vex_${a.status}`, subject: a.finding, reason: `${a.advisory} in ${a.service}: ${a.status}${a.justification ? ` (${a.justification})` : ''} per ${basename(input.file)}`, evidenceRef: `sha256:${sha256}` })),
      ],
      input.now,
    );
  });
  return { file: input.file, format: doc.format, statements: doc.statements.length, stored, unchanged: stored === 0 && rows.length > 0, refused: doc.refused, unmatched, applied };
}

function toRow(
  s: VexStatement,
  product: VexProduct,
  service: string | null,
  purl: string | null,
  meta: { sha256: string; file: string; format: 'cyclonedx' | 'openvex'; importedAt: string; actor: string; productVersion: string | undefined; fallbackTime: string | undefined },
): StoredVexStatement {
  const id = 'vex_' + createHash('sha256').update([meta.sha256, s.path, product.ref, purl ?? '', service ?? '', meta.productVersion ?? ''].join('\u0000')).digest('hex').slice(0, 24);
  return {
    id,
    vulnerability: s.vulnerability,
    aliases: s.aliases,
    status: s.status,
    justification: s.justification ?? null,
    detail: s.detail ?? null,
    productRef: product.ref,
    service,
    purl,
    versions: product.versions ? { entries: product.versions, ...(meta.productVersion !== undefined ? { productVersion: meta.productVersion } : {}) } : null,
    format: meta.format,
    document: meta.file,
    documentSha256: meta.sha256,
    statedAt: isoOr(s.statedAt ?? meta.fallbackTime, meta.importedAt),
    importedAt: meta.importedAt,
    importedBy: meta.actor,
  };
}

/** Statement times are compared as text: normalised to UTC so offsets order correctly. */
function isoOr(time: string | undefined, fallback: string): string {
  if (time === undefined) return fallback;
  const parsed = new Date(time);
  return Number.isNaN(parsed.getTime()) ? fallback : parsed.toISOString();
}

/** A product named like a service (case-insensitive): its component name, or a bare bom-ref. */
function serviceNamed(product: VexProduct, services: string[]): string | undefined {
  const candidates = [product.name, product.ref.includes('#') ? product.ref.slice(product.ref.indexOf('#') + 1) : product.ref].filter((c): c is string => c !== undefined).map((c) => c.toLowerCase());
  return services.find((s) => candidates.includes(s.toLowerCase()));
}
