import type { Kysely } from 'kysely';

/**
 * The compatibility matrix (issue 10): a run per upgrade and attempt, its jobs (one per cell,
 * taken by workers under a lease), its cells (exactly one stored result per consumer and check:
 * the primary key refuses a second) and waivers of cells, each with a role and a reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('compat_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('upgrade_id', 'text', (c) => c.notNull())
    /** `running` until every job is done, then `complete`; `cancelled` when a newer run replaced it. */
    .addColumn('status', 'text', (c) => c.notNull())
    /** The planned rows and columns (consumers, checks, what each check applies to), JSON. */
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    /** When the finished matrix's verdict was recorded on the upgrade as compat_matrix evidence. */
    .addColumn('settled_at', 'text')
    .execute();
  await db.schema.createIndex('compat_runs_by_upgrade').on('compat_runs').columns(['upgrade_id', 'created_at']).execute();

  await db.schema
    .createTable('compat_jobs')
    /** `<run>/<consumer>/<check>`. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('consumer_id', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    /** 0 for fail-fast checks (auth, payment, integration), 1 for the rest: a phase starts when the one before is done. */
    .addColumn('phase', 'integer', (c) => c.notNull())
    /** The CheckRequest without its signal, JSON. */
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    /** queued, running, done. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('compat_jobs_by_status').on('compat_jobs').columns(['status', 'phase', 'created_at']).execute();
  await db.schema.createIndex('compat_jobs_by_run').on('compat_jobs').columns(['run_id', 'phase']).execute();

  await db.schema
    .createTable('compat_cells')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('consumer_id', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text')
    .addColumn('exit_code', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    /** Findings, stdout, stderr (size-limited) and details, JSON. */
    .addColumn('evidence', 'text', (c) => c.notNull())
    /** The worker that stored the result. */
    .addColumn('worker', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('compat_cells_pk', ['run_id', 'consumer_id', 'check_id'])
    .execute();

  await db.schema
    .createTable('compat_waivers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('consumer_id', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('compat_waivers_by_cell').on('compat_waivers').columns(['run_id', 'consumer_id', 'check_id']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('compat_waivers').execute();
  await db.schema.dropTable('compat_cells').execute();
  await db.schema.dropTable('compat_jobs').execute();
  await db.schema.dropTable('compat_runs').execute();
}
