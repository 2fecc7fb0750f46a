import { newId } from '../../core/ids.js';
import type { Db } from '../../store/db.js';
import { appendLog } from '../../store/repos/operation-log.js';
import type { Store } from '../../store/open.js';
import type { NotesAck } from './notes.js';

/** Stores an acknowledgment with its operation-log entry (`notes.ack`: who, when, which notes). */
export async function saveNotesAck(store: Store, input: Omit<NotesAck, 'id'>, summary: string): Promise<NotesAck> {
  const ack: NotesAck = { id: newId('ack'), ...input };
  await store.db.transaction().execute(async (tx) => {
    await tx.insertInto('release_notes_acks').values({ id: ack.id, upgrade_id: ack.upgradeId, actor: ack.actor, standing: ack.standing, notes_digest: ack.notesDigest, at: ack.at }).execute();
    await appendLog(tx, [{ actor: ack.actor, action: 'notes.ack', subject: ack.upgradeId, reason: `${ack.actor} (${ack.standing}) acknowledged the release notes: ${summary} (digest ${ack.notesDigest.slice(0, 12)})`, evidenceRef: ack.id, at: ack.at }], new Date(ack.at));
  });
  return ack;
}

export async function latestNotesAck(db: Db, upgradeId: string): Promise<NotesAck | undefined> {
  const row = await db.selectFrom('release_notes_acks').selectAll().where('upgrade_id', '=', upgradeId).orderBy('at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return row ? { id: row.id, upgradeId: row.upgrade_id, actor: row.actor, standing: row.standing, notesDigest: row.notes_digest, at: row.at } : undefined;
}

/** Rollouts started after `since` (the bundling guard's window): which upgrade, which service, when. */
export async function rolloutsStartedSince(db: Db, since: string): Promise<{ upgradeId: string; service: string; startedAt: string }[]> {
  const rows = await db.selectFrom('rollouts').select(['upgrade_id', 'service', 'created_at']).where('created_at', '>', since).orderBy('created_at').execute();
  return rows.map((r) => ({ upgradeId: r.upgrade_id, service: r.service, startedAt: r.created_at }));
}
