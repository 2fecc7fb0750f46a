import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { UfError } from '../../core/errors.js';
import type { Db } from '../db.js';
import type { Store } from '../open.js';
import type { Database } from '../schema.js';

/**
 * Leases: at most one holder at a time for a named job (`intake`, a rollout), across processes and
 * machines sharing the store, on SQLite and PostgreSQL alike. A lease expires unless renewed, so a
 * holder that crashed blocks others only until its expiry. Times are wall-clock times from the
 * Clock, independent of any logical "now" the job itself runs at.
 */
export interface Lease {
  name: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

export type LeaseAttempt = { acquired: true; lease: Lease } | { acquired: false; heldBy: Lease };

/** A holder id that says who holds a lease, for the message another process shows. */
export function leaseHolder(label = 'uf'): string {
  return `${label}@${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Takes the lease if it is free, expired, or already ours; otherwise says who holds it. */
export async function acquireLease(db: Db, name: string, holder: string, ttlMs: number, clock: Clock): Promise<LeaseAttempt> {
  const now = clock.now();
  const row = { name, holder, acquired_at: now.toISOString(), expires_at: new Date(now.getTime() + ttlMs).toISOString() };
  // Two statements, each atomic on both databases: insert if absent, else take over if expired or ours.
  const inserted = await db.insertInto('leases').values(row).onConflict((oc) => oc.column('name').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { acquired: true, lease: toLease(row) };
  const taken = await db
    .updateTable('leases')
    .set({ holder, acquired_at: row.acquired_at, expires_at: row.expires_at })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<=', row.acquired_at)]))
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 1) return { acquired: true, lease: toLease(row) };
  const current = await db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
  // Released between our two statements: try once more.
  if (!current) return acquireLease(db, name, holder, ttlMs, clock);
  return { acquired: false, heldBy: toLease(current) };
}

/** Extends our lease; fails with `conflict` if it expired and someone else took it. */
export async function renewLease(db: Db, name: string, holder: string, ttlMs: number, clock: Clock): Promise<Lease> {
  const expires = new Date(clock.now().getTime() + ttlMs).toISOString();
  const result = await db.updateTable('leases').set({ expires_at: expires }).where('name', '=', name).where('holder', '=', holder).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new UfError('conflict', `lease ${name} was lost: it expired and another holder took it`, { record: name });
  const row = await db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  return toLease(row);
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}

export interface LeaseOptions {
  holder?: string;
  /** How long the lease lasts without renewal; renewed every third of it while the work runs. */
  ttlMs?: number;
  /** How long to wait for another holder to finish; 0 fails at once. */
  waitMs?: number;
  /** The lease's wall-clock times; the store's clock when absent. */
  clock?: Clock;
  /** Called once when the lease is held by someone else and we start waiting. */
  onWait?: (heldBy: Lease) => void;
}

/** Thrown when the lease stays held by another holder past the wait. */
export class LeaseHeldError extends UfError {
  constructor(readonly heldBy: Lease, waitedMs: number) {
    super(
      'conflict',
      `another ${heldBy.name} run holds the lease since ${heldBy.acquiredAt} (holder ${heldBy.holder}, expires ${heldBy.expiresAt}` +
        `${waitedMs > 0 ? `; waited ${Math.round(waitedMs / 1000)} s` : ''}); try again when it finishes`,
    );
  }
}

/**
 * Runs `work` while holding lease `name`: waits (polling with backoff, up to `waitMs`) while
 * another holder has it, renews it in the background, and releases it afterwards, also on error.
 */
export async function withLease<T>(store: Store, name: string, options: LeaseOptions, work: () => Promise<T>): Promise<T> {
  const holder = options.holder ?? leaseHolder();
  const ttlMs = options.ttlMs ?? 60_000;
  const waitMs = options.waitMs ?? 0;
  const clock = options.clock ?? store.clock;
  // How long we waited is a duration, measured on the monotonic timer, not the (possibly fixed) clock.
  const started = performance.now();
  let delay = 100;
  let told = false;
  for (;;) {
    const attempt = await acquireLease(store.db, name, holder, ttlMs, clock);
    if (attempt.acquired) break;
    const waited = performance.now() - started;
    if (waited >= waitMs) throw new LeaseHeldError(attempt.heldBy, waited);
    if (!told) options.onWait?.(attempt.heldBy);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, waitMs - waited)));
    delay = Math.min(delay * 2, 2000);
  }
  const renewal = setInterval(() => {
    // A failed renewal (store briefly unreachable) is retried on the next tick; if the lease is
    // lost meanwhile, the store's unique constraints still keep a second holder from duplicating.
    renewLease(store.db, name, holder, ttlMs, clock).catch(() => undefined);
  }, Math.max(1000, Math.floor(ttlMs / 3)));
  renewal.unref();
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await releaseLease(store.db, name, holder).catch(() => undefined);
  }
}

function toLease(row: Database['leases']): Lease {
  return { name: row.name, holder: row.holder, acquiredAt: row.acquired_at, expiresAt: row.expires_at };
}
