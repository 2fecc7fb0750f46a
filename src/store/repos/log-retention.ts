import { UfError } from '../../core/errors.js';
import type { Store } from '../open.js';
import { entryLeaf, listCheckpoints } from './log-proofs.js';
import { readLog } from './operation-log.js';
import type { LogEntry } from '../../audit/chain.js';

/**
 * Retention without breaking proofs: entries older than `before` that a published checkpoint
 * covers lose their actor, reason and evidence reference (the personal and free-text content);
 * their seq, time, action, subject, seal, hash and Merkle leaf hash stay. The chain still links,
 * every checkpoint and inclusion proof still verifies, and state seals still apply. The caller
 * archives the full entries (with proofs) before calling `pruneEntries`.
 */
export async function prunableEntries(store: Store, before: string): Promise<{ entries: LogEntry[]; coveredBy: number }> {
  const checkpoint = (await listCheckpoints(store.db, 1))[0];
  if (!checkpoint) throw new UfError('conflict', 'no checkpoint was published: publish one (uf log checkpoint) before pruning, so the pruned entries stay provable');
  const entries: LogEntry[] = [];
  for await (const entry of readLog(store.db)) {
    if (entry.seq > checkpoint.treeSize) break;
    if (entry.at < before && !entry.pruned) entries.push(entry);
  }
  return { entries, coveredBy: checkpoint.treeSize };
}

export async function pruneEntries(store: Store, entries: LogEntry[]): Promise<number> {
  const at = store.clock.now().toISOString();
  await store.db.transaction().execute(async (tx) => {
    for (const entry of entries) {
      await tx
        .updateTable('oplog')
        .set({ actor: '', reason: '', evidence_ref: null, leaf_hash: entryLeaf(entry).toString('hex'), pruned_at: at })
        .where('seq', '=', entry.seq)
        .where('pruned_at', 'is', null)
        .execute();
    }
  });
  return entries.length;
}
