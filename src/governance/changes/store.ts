import { newId } from '../../core/ids.js';
import type { ChangeClass } from '../../core/upgrade/index.js';
import type { Db, Tx } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { ChangeApproval, ChangeFields, ChangeRecord, ChangeStatus } from './types.js';

export async function insertChange(tx: Tx, change: ChangeRecord): Promise<void> {
  await tx.insertInto('change_requests').values(toRow(change)).execute();
}

/** Writes the change if nobody else did since `expectedVersion`; false when someone did. */
export async function updateChange(tx: Tx, change: ChangeRecord, expectedVersion: number): Promise<boolean> {
  const { id: _id, ...row } = toRow(change);
  const result = await tx.updateTable('change_requests').set(row).where('id', '=', change.id).where('version', '=', expectedVersion).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function getChange(db: Db, idOrUpgrade: string): Promise<ChangeRecord | undefined> {
  const row = await db.selectFrom('change_requests').selectAll().where((eb) => eb.or([eb('id', '=', idOrUpgrade), eb('upgrade_id', '=', idOrUpgrade)])).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function listChanges(db: Db, filter: { from?: string; to?: string; limit?: number } = {}): Promise<ChangeRecord[]> {
  let query = db.selectFrom('change_requests').selectAll().orderBy('planned_start').orderBy('id');
  // Changes whose planned interval overlaps [from, to).
  if (filter.from) query = query.where('planned_end', '>', filter.from);
  if (filter.to) query = query.where('planned_start', '<', filter.to);
  return (await query.limit(filter.limit ?? 1000).execute()).map(fromRow);
}

export async function approvalsOf(db: Db, changeId: string): Promise<ChangeApproval[]> {
  const rows = await db.selectFrom('change_approvals').selectAll().where('change_id', '=', changeId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    changeId: r.change_id,
    by: r.by,
    role: r.role,
    decision: r.decision as ChangeApproval['decision'],
    reason: r.reason,
    scopeDigest: r.scope_digest,
    at: r.at,
    voidedAt: r.voided_at,
    voidReason: r.void_reason,
  }));
}

export async function insertApproval(tx: Tx, approval: Omit<ChangeApproval, 'id' | 'voidedAt' | 'voidReason'>): Promise<ChangeApproval> {
  const row = { id: newId('apr'), ...approval, voidedAt: null, voidReason: null };
  await tx
    .insertInto('change_approvals')
    .values({ id: row.id, change_id: row.changeId, by: row.by, role: row.role, decision: row.decision, reason: row.reason, scope_digest: row.scopeDigest, at: row.at, voided_at: null, void_reason: null })
    .execute();
  return row;
}

/** Voids every live approval and rejection of a change, saying why; returns how many. */
export async function voidApprovals(tx: Tx, changeId: string, at: string, reason: string): Promise<number> {
  const result = await tx.updateTable('change_approvals').set({ voided_at: at, void_reason: reason }).where('change_id', '=', changeId).where('voided_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function toRow(c: ChangeRecord): Database['change_requests'] {
  return {
    id: c.id,
    upgrade_id: c.upgradeId,
    change_class: c.changeClass,
    status: c.status,
    fields: JSON.stringify(c.fields),
    scope_digest: c.scopeDigest,
    requested_by: c.requestedBy,
    implementer: c.implementer,
    template_id: c.templateId,
    planned_start: c.plannedStart,
    planned_end: c.plannedEnd,
    review_due_at: c.reviewDueAt,
    reviewed_at: c.reviewedAt,
    reviewed_by: c.reviewedBy,
    review_notes: c.reviewNotes,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    version: c.version,
  };
}

function fromRow(r: Database['change_requests']): ChangeRecord {
  return {
    id: r.id,
    upgradeId: r.upgrade_id,
    changeClass: r.change_class as ChangeClass,
    status: r.status as ChangeStatus,
    fields: JSON.parse(r.fields) as ChangeFields,
    plannedStart: r.planned_start,
    plannedEnd: r.planned_end,
    requestedBy: r.requested_by,
    implementer: r.implementer,
    templateId: r.template_id,
    scopeDigest: r.scope_digest,
    reviewDueAt: r.review_due_at,
    reviewedAt: r.reviewed_at,
    reviewedBy: r.reviewed_by,
    reviewNotes: r.review_notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
