import { sql, type Insertable } from 'kysely';
import { ChainVerifier, chainEntry, type ChainBreak, type LogEntry, type NewLogEntry } from '../../audit/chain.js';
import { dialectOf, type Db, type Tx } from '../db.js';
import type { Database } from '../schema.js';
import { sealsFor } from './state-seals.js';

/** An arbitrary fixed key for PostgreSQL's advisory lock that serialises appends to the chain. */
const appendLockKey = 7_447_012;

/**
 * Appends entries to the hash chain. Call it inside the transaction that makes the change the
 * entries describe, so that the change and its log entry are written together or not at all.
 * `now` stamps the entries that carry no `at` of their own.
 *
 * Call it after the rows the entries describe are written: the last entry about an upgrade or a
 * change seals that row's state as it is now (see audit/seal.ts). `seal: false` is only for
 * migration 005, which runs on stores older than the columns seals need.
 */
export async function appendLog(trx: Tx, entries: NewLogEntry[], now: Date, options: { seal?: boolean } = {}): Promise<LogEntry[]> {
  if (entries.length === 0) return [];
  const seals = options.seal === false ? new Map<string, string>() : await sealsFor(trx, entries.map((e) => e.subject));
  const lastAbout = new Map(entries.map((e, i) => [e.subject, i]));
  // On PostgreSQL two writers could read the same head; the lock makes them take turns.
  // SQLite writers are already serialised by the database's single write lock.
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${appendLockKey})`.execute(trx);
  let previous = await readHead(trx);
  const written: LogEntry[] = [];
  for (const [i, entry] of entries.entries()) {
    const seal = lastAbout.get(entry.subject) === i ? seals.get(entry.subject) : undefined;
    const chained = chainEntry(previous, seal !== undefined ? { ...entry, seal } : entry, now);
    written.push(chained);
    previous = chained;
  }
  for (let i = 0; i < written.length; i += 500) {
    await trx.insertInto('oplog').values(written.slice(i, i + 500).map(toRow)).execute();
  }
  const head = { id: 1, seq: previous!.seq, hash: previous!.hash };
  await trx
    .insertInto('oplog_head')
    .values(head)
    .onConflict((oc) => oc.column('id').doUpdateSet({ seq: head.seq, hash: head.hash }))
    .execute();
  return written;
}

async function readHead(db: Db): Promise<{ seq: number; hash: string } | undefined> {
  const head = await db.selectFrom('oplog_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  return head ? { seq: Number(head.seq), hash: head.hash } : undefined;
}

function toRow(entry: LogEntry): Insertable<Database['oplog']> {
  return {
    // Only when there is one: stores before migration 012 (seen by migration 005) lack the column.
    ...(entry.seal !== undefined ? { seal: entry.seal } : {}),
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    reason: entry.reason,
    evidence_ref: entry.evidenceRef,
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}

function fromRow(row: Database['oplog']): LogEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    reason: row.reason,
    evidenceRef: row.evidence_ref,
    prevHash: row.prev_hash,
    hash: row.hash,
    ...(row.seal !== null && row.seal !== undefined ? { seal: row.seal } : {}),
    ...(row.pruned_at && row.leaf_hash ? { pruned: { at: row.pruned_at, leafHash: row.leaf_hash } } : {}),
  };
}

/**
 * Reads the log in order from the entry after `after` (a seq; 0 = from the start), a page at a
 * time, so memory stays flat on long logs. Each page is a range search on the primary key (or
 * on (subject, seq)), so starting deep in the log costs the same as starting at its head.
 */
export async function* readLog(db: Db, filter: { subject?: string; pageSize?: number; after?: number } = {}): AsyncGenerator<LogEntry> {
  const pageSize = filter.pageSize ?? 5000;
  let after = filter.after ?? 0;
  for (;;) {
    let query = db.selectFrom('oplog').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize);
    if (filter.subject !== undefined) query = query.where('subject', '=', filter.subject);
    const rows = await query.execute();
    for (const row of rows) yield fromRow(row);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string } | undefined;
  firstBroken?: ChainBreak;
}

export async function verifyLog(db: Db): Promise<VerifyReport> {
  const verifier = new ChainVerifier();
  const head = await readHead(db);
  for await (const entry of readLog(db)) {
    const broken = verifier.check(entry);
    if (broken) return { ok: false, entries: verifier.count, head, firstBroken: broken };
  }
  const truncated = verifier.checkHead(head);
  if (truncated) return { ok: false, entries: verifier.count, head, firstBroken: truncated };
  return { ok: true, entries: verifier.count, head };
}
