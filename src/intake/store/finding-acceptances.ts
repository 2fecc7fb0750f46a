import type { Db, Tx } from '../../store/db.js';
import type { Database } from '../../store/schema.js';

export interface FindingAcceptance {
  id: string;
  advisoryId: string;
  service: string;
  /** null: every finding of the advisory in the service. */
  findingId: string | null;
  reason: string;
  owner: string;
  /** ISO time the acceptance ends; the finding is open again from then. */
  expiresAt: string;
  acceptedBy: string;
  acceptedAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  expiryLoggedAt: string | null;
}

export async function insertAcceptance(trx: Tx, a: FindingAcceptance): Promise<void> {
  await trx
    .insertInto('finding_acceptances')
    .values({
      id: a.id,
      advisory_id: a.advisoryId,
      service: a.service,
      finding_id: a.findingId,
      reason: a.reason,
      owner: a.owner,
      expires_at: a.expiresAt,
      accepted_by: a.acceptedBy,
      accepted_at: a.acceptedAt,
      revoked_at: null,
      revoked_by: null,
      expiry_logged_at: null,
    })
    .execute();
}

/** Every acceptance not revoked (active or expired), oldest first. */
export async function listAcceptances(db: Db, filter: { includeRevoked?: boolean } = {}): Promise<FindingAcceptance[]> {
  let query = db.selectFrom('finding_acceptances').selectAll().orderBy('accepted_at').orderBy('id');
  if (!filter.includeRevoked) query = query.where('revoked_at', 'is', null);
  return (await query.execute()).map(fromRow);
}

export async function revokeAcceptances(trx: Tx, ids: string[], actor: string, at: string): Promise<void> {
  if (ids.length === 0) return;
  await trx.updateTable('finding_acceptances').set({ revoked_at: at, revoked_by: actor }).where('id', 'in', ids).where('revoked_at', 'is', null).execute();
}

/** Acceptances past their expiry whose expiry was not logged yet. */
export async function unloggedExpiries(db: Db, now: string): Promise<FindingAcceptance[]> {
  const rows = await db
    .selectFrom('finding_acceptances')
    .selectAll()
    .where('revoked_at', 'is', null)
    .where('expiry_logged_at', 'is', null)
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .orderBy('id')
    .execute();
  return rows.map(fromRow);
}

export async function markExpiryLogged(trx: Tx, ids: string[], at: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await trx.updateTable('finding_acceptances').set({ expiry_logged_at: at }).where('id', 'in', ids.slice(i, i + 500)).execute();
  }
}

function fromRow(r: Database['finding_acceptances']): FindingAcceptance {
  return {
    id: r.id,
    advisoryId: r.advisory_id,
    service: r.service,
    findingId: r.finding_id,
    reason: r.reason,
    owner: r.owner,
    expiresAt: r.expires_at,
    acceptedBy: r.accepted_by,
    acceptedAt: r.accepted_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
    expiryLoggedAt: r.expiry_logged_at,
  };
}
