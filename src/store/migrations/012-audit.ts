import type { Kysely } from 'kysely';

/**
 * Audit proofs (issue 11): state seals on log entries, the leaf hashes retention keeps when it
 * prunes an entry's content, and the signed checkpoints `uf log checkpoint` published (the signed
 * note only: the signing key never enters the database).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oplog').addColumn('seal', 'text').execute();
  await db.schema.alterTable('oplog').addColumn('leaf_hash', 'text').execute();
  await db.schema.alterTable('oplog').addColumn('pruned_at', 'text').execute();
  await db.schema
    .createTable('log_checkpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('tree_size', 'integer', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('key_name', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('written_to', 'text')
    .execute();
  await db.schema.createIndex('log_checkpoints_by_size').on('log_checkpoints').columns(['tree_size', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('log_checkpoints').execute();
  await db.schema.alterTable('oplog').dropColumn('pruned_at').execute();
  await db.schema.alterTable('oplog').dropColumn('leaf_hash').execute();
  await db.schema.alterTable('oplog').dropColumn('seal').execute();
}
