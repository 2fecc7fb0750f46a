import { sql, type Kysely } from 'kysely';

/**
 * What people tell a rollout (approvals, rejections, promote / pause / resume / abort / retry),
 * queued for the reconciler, which hands each to the reducer once, in the transaction that stores
 * the decision made on it. And the person an API token speaks for, so that an approval through the
 * API carries a person's identity (segregation of duties compares people, not tokens). And each
 * rollout's phase as a column, so the loop that drives rollouts finds the unfinished ones without
 * reading every rollout's state.
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
  await db.schema.alterTable('rollouts').addColumn('phase', 'text').execute();
  // Rollouts stored before: their phase is read from their state (the same on both dialects).
  const rows = await sql<{ id: string; state: string }>`select id, state from rollouts`.execute(db);
  for (const row of rows.rows) {
    const phase = (JSON.parse(row.state) as { phase?: string }).phase ?? null;
    await sql`update rollouts set phase = ${phase} where id = ${row.id}`.execute(db);
  }
  await db.schema.createIndex('rollouts_by_phase').on('rollouts').columns(['phase']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('rollouts_by_phase').execute();
  await db.schema.alterTable('rollouts').dropColumn('phase').execute();
  await db.schema.alterTable('api_tokens').dropColumn('user_name').execute();
  await db.schema.dropTable('rollout_inputs').execute();
}
