import type { LogEntry } from '../../audit/chain.js';
import type { ExportProofHeader, ProvenRecord } from '../../audit/export.js';
import type { MerkleTree } from '../../audit/merkle.js';
import { UfError } from '../../core/errors.js';
import type { Db } from '../db.js';
import { listCheckpoints, loadTree } from './log-proofs.js';
import { readLog } from './operation-log.js';

export type ExportWhat = ExportProofHeader['what'];

export const exportColumns: Record<ExportWhat, readonly string[]> = {
  log: ['seq', 'at', 'actor', 'action', 'subject', 'reason', 'evidenceRef', 'prevHash', 'hash', 'seal'],
  approvals: ['id', 'changeId', 'by', 'role', 'decision', 'reason', 'scopeDigest', 'at', 'voidedAt', 'voidReason'],
  changes: ['id', 'upgradeId', 'changeClass', 'status', 'requestedBy', 'implementer', 'plannedStart', 'plannedEnd', 'scopeDigest', 'reviewDueAt', 'reviewedAt', 'reviewedBy', 'createdAt', 'updatedAt', 'fields'],
};

/**
 * A period's log entries, approvals or change records, each with the log entry that vouches for
 * it and its inclusion proof in the current tree; the header ties that tree to the latest signed
 * checkpoint with a consistency proof. Nothing secret is in these tables (token hashes live in
 * `tokens`, which no export reads).
 */
export async function exportPeriod(db: Db, period: { from: string; to: string; what: ExportWhat }): Promise<{ header: ExportProofHeader; rows: AsyncGenerator<ProvenRecord> }> {
  const { tree, gapAt } = await loadTree(db);
  if (gapAt !== undefined) throw new UfError('conflict', `entry ${gapAt} is missing from the log: run uf log verify; no proofs can be exported`);
  const checkpoint = (await listCheckpoints(db, 50)).find((c) => c.treeSize <= tree.size);
  const header: ExportProofHeader = {
    type: 'proof',
    from: period.from,
    to: period.to,
    what: period.what,
    treeSize: tree.size,
    rootHash: tree.root().toString('hex'),
    checkpoint: checkpoint?.note ?? null,
    consistencyProof: checkpoint ? tree.consistencyProof(checkpoint.treeSize).map((h) => h.toString('hex')) : [],
    leafHashing: 'RFC 6962: leaf = SHA-256(0x00 || canonical entry JSON), node = SHA-256(0x01 || left || right)',
  };
  const rows = period.what === 'log' ? logRows(db, tree, period) : period.what === 'approvals' ? approvalRows(db, tree, period) : changeRows(db, tree, period);
  return { header, rows };
}

function proven(tree: MerkleTree, record: ProvenRecord['record'], entry: LogEntry | undefined): ProvenRecord {
  if (!entry) return { record, entry: null, leafIndex: null, inclusionProof: [] };
  return { record, entry, leafIndex: entry.seq - 1, inclusionProof: tree.inclusionProof(entry.seq - 1).map((h) => h.toString('hex')) };
}

async function* logRows(db: Db, tree: MerkleTree, period: { from: string; to: string }): AsyncGenerator<ProvenRecord> {
  for await (const entry of readLog(db)) {
    if (entry.at < period.from || entry.at >= period.to) continue;
    const { pruned: _pruned, ...fields } = entry;
    yield proven(tree, { ...fields, seal: entry.seal ?? null }, entry);
  }
}

async function entryAt(db: Db, seq: number): Promise<LogEntry | undefined> {
  for await (const entry of readLog(db, { after: seq - 1, pageSize: 1 })) return entry.seq === seq ? entry : undefined;
  return undefined;
}

async function* approvalRows(db: Db, tree: MerkleTree, period: { from: string; to: string }): AsyncGenerator<ProvenRecord> {
  const rows = await db.selectFrom('change_approvals').selectAll().where('at', '>=', period.from).where('at', '<', period.to).orderBy('at').orderBy('id').execute();
  for (const a of rows) {
    // The entry that recorded the decision: same change, person, decision and instant.
    const found = await db.selectFrom('oplog').select('seq').where('subject', '=', a.change_id).where('action', '=', `change.${a.decision}`).where('actor', '=', a.by).where('at', '=', a.at).orderBy('seq').executeTakeFirst();
    const record = { id: a.id, changeId: a.change_id, by: a.by, role: a.role, decision: a.decision, reason: a.reason, scopeDigest: a.scope_digest, at: a.at, voidedAt: a.voided_at, voidReason: a.void_reason };
    yield proven(tree, record, found ? await entryAt(db, Number(found.seq)) : undefined);
  }
}

async function* changeRows(db: Db, tree: MerkleTree, period: { from: string; to: string }): AsyncGenerator<ProvenRecord> {
  // Changes opened or changed within the period.
  const rows = await db
    .selectFrom('change_requests')
    .selectAll()
    .where((eb) => eb.or([eb.and([eb('created_at', '>=', period.from), eb('created_at', '<', period.to)]), eb.and([eb('updated_at', '>=', period.from), eb('updated_at', '<', period.to)])]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const c of rows) {
    // The latest entry about the change: its seal vouches for the change's state as exported.
    const found = await db.selectFrom('oplog').select('seq').where('subject', '=', c.id).orderBy('seq', 'desc').executeTakeFirst();
    const record = {
      id: c.id,
      upgradeId: c.upgrade_id,
      changeClass: c.change_class,
      status: c.status,
      requestedBy: c.requested_by,
      implementer: c.implementer,
      plannedStart: c.planned_start,
      plannedEnd: c.planned_end,
      scopeDigest: c.scope_digest,
      reviewDueAt: c.review_due_at,
      reviewedAt: c.reviewed_at,
      reviewedBy: c.reviewed_by,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      fields: c.fields,
    };
    yield proven(tree, record, found ? await entryAt(db, Number(found.seq)) : undefined);
  }
}
