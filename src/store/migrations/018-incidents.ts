import type { Kysely } from 'kysely';

/**
 * Incidents (imported from files or received from PagerDuty / Opsgenie webhooks) with the change
 * they were linked to, and post-implementation reviews of upgrades with their actions (issue 12).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('incidents')
    /** `<source>:<external id>`: a second delivery of the same incident updates it. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('service', 'text')
    /** 1 when the service name matched a catalog Component, 0 when it is stored as given (flagged). */
    .addColumn('service_known', 'integer', (c) => c.notNull())
    /** sev1 (worst) to sev5. */
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    /** The change the incident names itself (an upgrade or change id), as given. */
    .addColumn('change_ref', 'text')
    /** The upgrade it is linked to, and how (explicit, service-window, dependent-window). */
    .addColumn('upgrade_id', 'text')
    .addColumn('link_kind', 'text')
    .addColumn('link_reason', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incidents_by_start').on('incidents').columns(['started_at']).execute();
  await db.schema.createIndex('incidents_by_service').on('incidents').columns(['service', 'started_at']).execute();
  await db.schema.createIndex('incidents_by_upgrade').on('incidents').columns(['upgrade_id']).execute();

  await db.schema
    .createTable('upgrade_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('upgrade_id', 'text', (c) => c.notNull().unique())
    .addColumn('went_well', 'text', (c) => c.notNull())
    .addColumn('went_badly', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('review_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('review_id', 'text', (c) => c.notNull())
    /** compat-check, threshold or checklist. */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The service whose next upgrades it applies to. */
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('due', 'text', (c) => c.notNull())
    /** The kind's details as JSON: the compat check's settings, or the threshold's analysis, metric and value. */
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_by', 'text')
    .addColumn('done_at', 'text')
    .addColumn('done_note', 'text')
    .execute();
  await db.schema.createIndex('review_actions_by_service').on('review_actions').columns(['service', 'kind', 'status']).execute();
  await db.schema.createIndex('review_actions_by_review').on('review_actions').columns(['review_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('review_actions').execute();
  await db.schema.dropTable('upgrade_reviews').execute();
  await db.schema.dropTable('incidents').execute();
}
