import type { Kysely } from 'kysely';

/**
 * Rollouts driven by the rollout engine's reconciler: the reducer's state of each rollout (JSON,
 * with a version for optimistic concurrency), and the actions it asked for, keyed by the reducer's
 * deterministic action id so that a restarted reconciler never runs a finished action again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rollouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('upgrade_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    /** The reducer's RolloutState as JSON. */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rollouts_by_upgrade').on('rollouts').columns(['upgrade_id']).execute();

  await db.schema
    .createTable('rollout_actions')
    /** The reducer's action id: `<rollout>/a<attempt>/s<step>/<kind>/<seq>`. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rollout_id', 'text', (c) => c.notNull())
    /** Order of decision within the rollout (the action's seq). */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The action as the reducer emitted it, JSON: what a restarted reconciler runs. */
    .addColumn('body', 'text', (c) => c.notNull())
    /** pending | done | failed */
    .addColumn('status', 'text', (c) => c.notNull())
    /** JSON: the observation the run produced, or null when it produces none. */
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    /** When the result was handed to the reducer, in the transaction that stored its decision. */
    .addColumn('observed_at', 'text')
    .execute();
  await db.schema.createIndex('rollout_actions_by_rollout').on('rollout_actions').columns(['rollout_id', 'status', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rollout_actions').execute();
  await db.schema.dropTable('rollouts').execute();
}
