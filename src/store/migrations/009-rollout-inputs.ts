import type { Kysely } from 'kysely';

/**
 * What people tell a rollout (approvals, rejections, promote / pause / resume / abort / retry),
 * queued for the reconciler, which hands each to the reducer once, in the transaction that stores
 * the decision made on it. And the person an API token speaks for, so that an approval through the
 * API carries a person's identity (segregation of duties compares people, not tokens).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rollout_inputs')
    /** `<rollout>/in/<seq>`. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rollout_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    /** The reducer's Observation (approval or command), JSON. */
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    /** When the reducer was given it, in the transaction that stored its decision. */
    .addColumn('observed_at', 'text')
    .execute();
  await db.schema.createIndex('rollout_inputs_by_rollout').on('rollout_inputs').columns(['rollout_id', 'seq']).unique().execute();
  await db.schema.alterTable('api_tokens').addColumn('user_name', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('user_name').execute();
  await db.schema.dropTable('rollout_inputs').execute();
}
