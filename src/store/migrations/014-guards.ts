import type { Kysely } from 'kysely';

/**
 * Anti-pattern guards (issue 11): rollback drills run by `uf drill run` (what happened and the
 * measured rollback time), and acknowledgments of an upgrade's parsed release notes (who, when,
 * and the digest of the notes they saw, so notes that changed afterwards need a new one).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rollback_drills')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service', 'text', (c) => c.notNull())
    /** Which router the drill went through, e.g. builtin:http://127.0.0.1:4301. */
    .addColumn('router', 'text', (c) => c.notNull())
    /** pass or fail. */
    .addColumn('outcome', 'text', (c) => c.notNull())
    /** From the weight 0 command to the router reporting it in force, in milliseconds; null when it never was. */
    .addColumn('rollback_ms', 'integer')
    /** The steps, the requests sent and answered by version, JSON (see governance/drills/types.ts). */
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rollback_drills_by_service').on('rollback_drills').columns(['service', 'finished_at']).execute();
  await db.schema
    .createTable('release_notes_acks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('upgrade_id', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    /** owner (of which service) or admin. */
    .addColumn('standing', 'text', (c) => c.notNull())
    /** SHA-256 of the notes as shown; unknown notes have a digest too. */
    .addColumn('notes_digest', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('release_notes_acks_by_upgrade').on('release_notes_acks').columns(['upgrade_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('release_notes_acks').execute();
  await db.schema.dropTable('rollback_drills').execute();
}
