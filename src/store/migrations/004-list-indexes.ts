import type { Kysely } from 'kysely';

/**
 * Every list the API serves pages by key (`WHERE key > cursor ORDER BY key LIMIT n`); each gets an
 * index whose columns are its equality filters followed by its sort key, so a deep page is a
 * range search, not a scan from the start. Before, `GET /api/v1/log?after=199990&limit=1` on a
 * 200,000-entry SQLite log took 15 s.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // (subject) alone cannot serve `subject = ? AND seq > ? ORDER BY seq` on PostgreSQL.
  await db.schema.dropIndex('oplog_by_subject').execute();
  await db.schema.createIndex('oplog_by_subject_seq').on('oplog').columns(['subject', 'seq']).execute();
  // (state, created_at, id) also serves what (state) served.
  await db.schema.dropIndex('upgrades_by_state').execute();
  await db.schema.createIndex('upgrades_page').on('upgrades').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('upgrades_by_state_page').on('upgrades').columns(['state', 'created_at', 'id']).execute();
  await db.schema.createIndex('findings_page').on('findings').columns(['status', 'service', 'environment', 'name', 'advisory_id', 'id']).execute();
  await db.schema.createIndex('catalog_entities_by_kind').on('catalog_entities').columns(['kind', 'ref']).execute();
  await db.schema.createIndex('inventory_components_by_service_package').on('inventory_components').columns(['service', 'ecosystem', 'name']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of ['inventory_components_by_service_package', 'catalog_entities_by_kind', 'findings_page', 'upgrades_by_state_page', 'upgrades_page', 'oplog_by_subject_seq']) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema.createIndex('upgrades_by_state').on('upgrades').column('state').execute();
  await db.schema.createIndex('oplog_by_subject').on('oplog').column('subject').execute();
}
