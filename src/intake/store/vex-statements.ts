import type { Db, Tx } from '../../store/db.js';
import type { VexStatementTable } from '../../store/schema.js';

/** One stored statement target: a statement about one product (or subcomponent), resolved at import. */
export interface StoredVexStatement {
  id: string;
  vulnerability: string;
  aliases: string[];
  status: VexStatementTable['status'];
  justification: string | null;
  detail: string | null;
  productRef: string;
  service: string | null;
  purl: string | null;
  versions: { entries: { version?: string; range?: string; status?: string }[]; productVersion?: string } | null;
  format: VexStatementTable['format'];
  document: string;
  documentSha256: string;
  statedAt: string;
  importedAt: string;
  importedBy: string;
}

/** Inserts statements; one already stored (same id: same document, statement and product) is kept as is. */
export async function insertVexStatements(trx: Tx, statements: StoredVexStatement[]): Promise<number> {
  let inserted = 0;
  for (const s of statements) {
    const result = await trx
      .insertInto('vex_statements')
      .values({
        id: s.id,
        vulnerability: s.vulnerability,
        aliases: JSON.stringify(s.aliases),
        status: s.status,
        justification: s.justification,
        detail: s.detail,
        product_ref: s.productRef,
        service: s.service,
        purl: s.purl,
        versions: s.versions === null ? null : JSON.stringify(s.versions),
        format: s.format,
        document: s.document,
        document_sha256: s.documentSha256,
        stated_at: s.statedAt,
        imported_at: s.importedAt,
        imported_by: s.importedBy,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

export async function listVexStatements(db: Db): Promise<StoredVexStatement[]> {
  const rows = await db.selectFrom('vex_statements').selectAll().orderBy('stated_at').orderBy('imported_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    vulnerability: r.vulnerability,
    aliases: JSON.parse(r.aliases) as string[],
    status: r.status,
    justification: r.justification,
    detail: r.detail,
    productRef: r.product_ref,
    service: r.service,
    purl: r.purl,
    versions: r.versions === null ? null : (JSON.parse(r.versions) as StoredVexStatement['versions']),
    format: r.format,
    document: r.document,
    documentSha256: r.document_sha256,
    statedAt: r.stated_at,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
  }));
}

/** Services a VEX product can name: those with inventory components and the Components of the service map. */
export async function vexServiceNames(db: Db): Promise<string[]> {
  const fromInventory = await db.selectFrom('inventory_components').select('service').distinct().execute();
  const fromCatalog = await db.selectFrom('catalog_entities').select('name').where('kind', '=', 'Component').execute();
  return [...new Set([...fromInventory.map((r) => r.service), ...fromCatalog.map((r) => r.name)])];
}
