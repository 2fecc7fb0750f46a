import { appendLog } from '../../store/repos/operation-log.js';
import type { Store } from '../../store/open.js';
import { markExpiryLogged, unloggedExpiries } from '../store/finding-acceptances.js';
import { subjectOf } from './accept.js';

/**
 * Expired acceptances reopen their findings. The state is computed on read, so nothing has to
 * change for the finding to show `open` again; this writes the one log entry per expiry, on each
 * intake run, so the audit trail says when the risk came back and whose acceptance lapsed.
 */
export async function logExpiredAcceptances(store: Store, now: Date, actor: string): Promise<number> {
  const at = now.toISOString();
  const expired = await unloggedExpiries(store.db, at);
  if (expired.length === 0) return 0;
  await store.db.transaction().execute(async (trx) => {
    await markExpiryLogged(trx, expired.map((a) => a.id), at);
    await appendLog(
      trx,
      expired.map((a) => ({ actor, action: 'finding.acceptance_expired', subject: subjectOf(a), reason: `acceptance by ${a.owner} expired on ${a.expiresAt.slice(0, 10)}; the finding is open again (was: ${a.reason})`, evidenceRef: a.id })),
      now,
    );
  });
  return expired.length;
}
