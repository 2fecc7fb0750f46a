import type { Kysely } from 'kysely';

/**
 * Webhook notifications (issue 11, comms): an outbox of deliveries, one per event and target,
 * written when the event is published and sent by `uf notify deliver` or the server's loop, so a
 * restart loses none; and the log of every attempt. Neither holds a secret nor a target's URL
 * (which may embed one): targets are named, their URL and secret come from the config and the
 * environment when a delivery is attempted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    /** The CloudEvent in structured JSON; a target's format renders from it when sending. */
    .addColumn('event', 'text', (c) => c.notNull())
    /** pending, delivered, failed (attempts exhausted or a permanent answer), refused (host not allowed). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text')
    .addColumn('lease_holder', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema.createIndex('notification_deliveries_event_target').on('notification_deliveries').columns(['event_id', 'target']).unique().execute();
  await db.schema.createIndex('notification_deliveries_due').on('notification_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema
    .createTable('notification_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    /** delivered, retry, failed, refused. */
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notification_attempts_by_time').on('notification_attempts').columns(['at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notification_attempts').execute();
  await db.schema.dropTable('notification_deliveries').execute();
}
