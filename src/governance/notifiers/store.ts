import { newId } from '../../core/ids.js';
import type { Db } from '../../store/db.js';
import type { Database } from '../../store/schema.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'refused';
export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'refused';

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  subject: string;
  target: string;
  /** The CloudEvent, structured JSON. */
  event: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

/** One attempt, as `uf notify log` shows it: never a URL, a secret or the payload. */
export interface DeliveryAttempt {
  id: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  target: string;
  attempt: number;
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  nextAttemptAt: string | null;
  at: string;
}

/** Queues one delivery per target; an event already queued for a target is not queued twice. */
export async function enqueueDeliveries(db: Db, event: { id: string; type: string; subject: string; json: string }, targets: readonly string[], at: string): Promise<number> {
  if (targets.length === 0) return 0;
  const rows = targets.map((target) => ({
    id: newId('ntf'),
    event_id: event.id,
    event_type: event.type,
    subject: event.subject,
    target,
    event: event.json,
    status: 'pending',
    attempts: 0,
    next_attempt_at: at,
    lease_holder: null,
    lease_until: null,
    last_status_code: null,
    last_error: null,
    created_at: at,
    updated_at: at,
    delivered_at: null,
  }));
  const result = await db.insertInto('notification_deliveries').values(rows).onConflict((oc) => oc.columns(['event_id', 'target']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Takes up to `limit` due deliveries for `holder` until `leaseUntil`: another process polling the
 * same store skips them (the conditions are repeated on the updated rows, so two claims of one row
 * cannot both succeed on PostgreSQL either). A crashed holder's lease simply runs out.
 */
export async function claimDue(db: Db, holder: string, now: string, leaseUntil: string, limit: number): Promise<Delivery[]> {
  const free = (q: ReturnType<typeof dueQuery>) => q.where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]));
  const dueQuery = () => db.selectFrom('notification_deliveries').where('status', '=', 'pending').where('next_attempt_at', '<=', now);
  const ids = free(dueQuery()).select('id').orderBy('next_attempt_at').orderBy('id').limit(limit);
  await db
    .updateTable('notification_deliveries')
    .set({ lease_holder: holder, lease_until: leaseUntil })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .execute();
  const rows = await db.selectFrom('notification_deliveries').selectAll().where('lease_holder', '=', holder).where('lease_until', '=', leaseUntil).where('status', '=', 'pending').orderBy('next_attempt_at').orderBy('id').execute();
  return rows.map(fromRow);
}

/** Stores an attempt and the delivery's new state together, and gives the lease up. */
export async function recordAttempt(db: Db, delivery: Delivery, attempt: Omit<DeliveryAttempt, 'id' | 'deliveryId' | 'eventId' | 'eventType' | 'target'>): Promise<DeliveryAttempt> {
  const row: DeliveryAttempt = { id: newId('nta'), deliveryId: delivery.id, eventId: delivery.eventId, eventType: delivery.eventType, target: delivery.target, ...attempt };
  const status: DeliveryStatus = attempt.outcome === 'retry' ? 'pending' : attempt.outcome;
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('notification_attempts')
      .values({
        id: row.id,
        delivery_id: row.deliveryId,
        event_id: row.eventId,
        event_type: row.eventType,
        target: row.target,
        attempt: row.attempt,
        outcome: row.outcome,
        status_code: row.statusCode,
        error: row.error,
        duration_ms: row.durationMs,
        next_attempt_at: row.nextAttemptAt,
        at: row.at,
      })
      .execute();
    await tx
      .updateTable('notification_deliveries')
      .set({
        status,
        attempts: attempt.attempt,
        next_attempt_at: attempt.nextAttemptAt,
        last_status_code: attempt.statusCode,
        last_error: attempt.error,
        lease_holder: null,
        lease_until: null,
        updated_at: attempt.at,
        delivered_at: status === 'delivered' ? attempt.at : null,
      })
      .where('id', '=', delivery.id)
      .execute();
  });
  return row;
}

/** The attempts, newest first. */
export async function listAttempts(db: Db, filter: { limit?: number; target?: string; eventId?: string } = {}): Promise<DeliveryAttempt[]> {
  let query = db.selectFrom('notification_attempts').selectAll().orderBy('at', 'desc').orderBy('id', 'desc');
  if (filter.target) query = query.where('target', '=', filter.target);
  if (filter.eventId) query = query.where('event_id', '=', filter.eventId);
  const rows = await query.limit(filter.limit ?? 100).execute();
  return rows.map((r) => ({
    id: r.id,
    deliveryId: r.delivery_id,
    eventId: r.event_id,
    eventType: r.event_type,
    target: r.target,
    attempt: r.attempt,
    outcome: r.outcome as AttemptOutcome,
    statusCode: r.status_code,
    error: r.error,
    durationMs: r.duration_ms,
    nextAttemptAt: r.next_attempt_at,
    at: r.at,
  }));
}

/** Deliveries, newest first; `status` narrows to pending, delivered, failed or refused ones. */
export async function listDeliveries(db: Db, filter: { limit?: number; status?: DeliveryStatus } = {}): Promise<Delivery[]> {
  let query = db.selectFrom('notification_deliveries').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (filter.status) query = query.where('status', '=', filter.status);
  return (await query.limit(filter.limit ?? 100).execute()).map(fromRow);
}

function fromRow(r: Database['notification_deliveries']): Delivery {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    subject: r.subject,
    target: r.target,
    event: r.event,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deliveredAt: r.delivered_at,
  };
}
