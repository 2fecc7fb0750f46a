import type { Kysely } from 'kysely';

/**
 * Risk acceptances of findings and imported VEX statements. Both are kept apart from `findings`
 * (which intake rewrites on every run) and applied when findings are read, so an intake re-run
 * never loses them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('finding_acceptances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** Canonical advisory id, as findings carry it. */
    .addColumn('advisory_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    /** One finding, or null for every finding of the advisory in the service. */
    .addColumn('finding_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_by', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    /** Set when the expiry was noticed and logged, so it is logged once. */
    .addColumn('expiry_logged_at', 'text')
    .execute();
  await db.schema.createIndex('finding_acceptances_by_target').on('finding_acceptances').columns(['advisory_id', 'service']).execute();

  await db.schema
    .createTable('vex_statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vulnerability', 'text', (c) => c.notNull())
    /** JSON array of the statement's other ids for the vulnerability. */
    .addColumn('aliases', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('justification', 'text')
    .addColumn('detail', 'text')
    .addColumn('product_ref', 'text', (c) => c.notNull())
    /** The service the product resolved to; null when it applies wherever `purl` is used. */
    .addColumn('service', 'text')
    /** PURL the statement is about (the product's or a subcomponent's); null for every component of `service`. */
    .addColumn('purl', 'text')
    /** JSON: the product versions the statement covers, or null for the product as the document describes it. */
    .addColumn('versions', 'text')
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('document_sha256', 'text', (c) => c.notNull())
    /** The statement's own time (document timestamp), for "the latest statement wins". */
    .addColumn('stated_at', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vex_statements_by_vulnerability').on('vex_statements').columns(['vulnerability']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('vex_statements').execute();
  await db.schema.dropTable('finding_acceptances').execute();
}
