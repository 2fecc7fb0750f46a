import { sql, type Kysely } from 'kysely';

/**
 * Change records (issue 11): one per upgrade that entered compat, with the ITSM fields a change
 * manager expects, and the approvals given on them. An approval names the scope digest it
 * approved; editing the scope voids it (the row stays, with why).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('change_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('upgrade_id', 'text', (c) => c.notNull().unique())
    .addColumn('change_class', 'text', (c) => c.notNull())
    /** awaiting-approval, authorized, rejected, canceled. */
    .addColumn('status', 'text', (c) => c.notNull())
    /** The ITSM fields and the scope, JSON (see governance/changes/types.ts). */
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('scope_digest', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('implementer', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text')
    .addColumn('planned_start', 'text', (c) => c.notNull())
    .addColumn('planned_end', 'text', (c) => c.notNull())
    .addColumn('review_due_at', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('review_notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('change_requests_by_start').on('change_requests').columns(['planned_start']).execute();
  await db.schema
    .createTable('change_approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('change_id', 'text', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    /** approve or reject. */
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('scope_digest', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('voided_at', 'text')
    .addColumn('void_reason', 'text')
    .execute();
  await db.schema.createIndex('change_approvals_by_change').on('change_approvals').columns(['change_id', 'at']).execute();
  // One live decision per person per change, whatever races the application's own check.
  await db.schema.createIndex('change_approvals_one_live').on('change_approvals').columns(['change_id', 'by']).unique().where(sql.ref('voided_at'), 'is', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('change_approvals').execute();
  await db.schema.dropTable('change_requests').execute();
}
