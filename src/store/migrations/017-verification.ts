import type { Kysely } from 'kysely';

/**
 * Before/after baselines of the verification phase (issue 12): the samples each baseline metric
 * gave before the rollout started (captured as it started: a router may not remember that far
 * back) and in each slice of the verification window after it, and the per-metric comparison the
 * judge made of them, which the readout shows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('baseline_samples')
    /** `<action id>/<metric>`: a slice measured again after a crash is stored once. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rollout_id', 'text', (c) => c.notNull())
    .addColumn('upgrade_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('action_id', 'text', (c) => c.notNull())
    /** before (the stable version, before the rollout) or after (the new version, at 100%). */
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    /** JSON: { ok: true, samples, value?, count?, source } or { ok: false, reason, source }. */
    .addColumn('measurement', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('baseline_samples_by_rollout').on('baseline_samples').columns(['rollout_id', 'phase', 'window_start']).execute();
  await db.schema
    .createTable('baseline_summaries')
    /** `<rollout id>/<metric>`: the latest comparison of the metric in that rollout. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rollout_id', 'text', (c) => c.notNull())
    .addColumn('upgrade_id', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    /** JSON: before and after figures, classification, outcome, reason, windows (verify/baselines/types.ts). */
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('judged_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('baseline_summaries_by_upgrade').on('baseline_summaries').columns(['upgrade_id', 'judged_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('baseline_summaries').execute();
  await db.schema.dropTable('baseline_samples').execute();
}
