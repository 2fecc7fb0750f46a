import { compareSeal, parseSeal, sealChange, sealUpgrade, type ChangeState, type Seal, type SealKind, type StateFinding, type UpgradeState } from '../../audit/seal.js';
import type { Db } from '../db.js';
import type { Database } from '../schema.js';

/** Which subjects name a sealed row: upgrade ids and change ids (core/ids.ts prefixes). */
function kindOf(subject: string): SealKind | undefined {
  if (subject.startsWith('upg_')) return 'upgrade';
  if (subject.startsWith('chg_')) return 'change';
  return undefined;
}

/** The seal text for each subject (of those given) that names an existing upgrade or change, as the rows are now. */
export async function sealsFor(db: Db, subjects: string[]): Promise<Map<string, string>> {
  const seals = new Map<string, string>();
  const upgrades = [...new Set(subjects.filter((s) => kindOf(s) === 'upgrade'))];
  const changes = [...new Set(subjects.filter((s) => kindOf(s) === 'change'))];
  if (upgrades.length > 0) for (const [id, seal] of await upgradeSeals(db, upgrades)) seals.set(id, `${seal.kind} ${seal.digest} ${seal.summary}`);
  if (changes.length > 0) for (const [id, seal] of await changeSeals(db, changes)) seals.set(id, `${seal.kind} ${seal.digest} ${seal.summary}`);
  return seals;
}

async function upgradeSeals(db: Db, ids?: string[]): Promise<Map<string, Seal>> {
  let rowsQuery = db.selectFrom('upgrades').selectAll();
  let evidenceQuery = db.selectFrom('upgrade_evidence').selectAll().orderBy('upgrade_id').orderBy('seq');
  if (ids) {
    rowsQuery = rowsQuery.where('id', 'in', ids);
    evidenceQuery = evidenceQuery.where('upgrade_id', 'in', ids);
  }
  const evidence = new Map<string, Database['upgrade_evidence'][]>();
  for (const e of await evidenceQuery.execute()) evidence.set(e.upgrade_id, [...(evidence.get(e.upgrade_id) ?? []), e]);
  const seals = new Map<string, Seal>();
  for (const row of await rowsQuery.execute()) seals.set(row.id, sealUpgrade(upgradeState(row, evidence.get(row.id) ?? [])));
  return seals;
}

function upgradeState(row: Database['upgrades'], evidence: Database['upgrade_evidence'][]): UpgradeState {
  return {
    id: row.id,
    state: row.state,
    weight: Number(row.weight),
    version: Number(row.version),
    changeClass: row.change_class,
    services: row.services,
    fromVersions: row.from_versions,
    targetVersion: row.target_version,
    members: row.members,
    postReviewRequired: Number(row.post_review_required),
    createdBy: row.created_by,
    evidence: evidence.map((e) => ({ id: e.id, kind: e.kind, outcome: e.outcome, ref: e.ref, summary: e.summary, recordedBy: e.recorded_by, recordedAt: e.recorded_at })),
  };
}

async function changeSeals(db: Db, ids?: string[]): Promise<Map<string, Seal>> {
  let rowsQuery = db.selectFrom('change_requests').select(['id', 'requested_by', 'implementer', 'scope_digest']);
  let approvalsQuery = db.selectFrom('change_approvals').selectAll();
  if (ids) {
    rowsQuery = rowsQuery.where('id', 'in', ids);
    approvalsQuery = approvalsQuery.where('change_id', 'in', ids);
  }
  const approvals = new Map<string, ChangeState['approvals']>();
  for (const a of await approvalsQuery.execute()) {
    const list = approvals.get(a.change_id) ?? [];
    list.push({ id: a.id, by: a.by, role: a.role, decision: a.decision, reason: a.reason, scopeDigest: a.scope_digest, at: a.at, voidedAt: a.voided_at, voidReason: a.void_reason });
    approvals.set(a.change_id, list);
  }
  const seals = new Map<string, Seal>();
  for (const row of await rowsQuery.execute()) {
    seals.set(row.id, sealChange({ id: row.id, requestedBy: row.requested_by, implementer: row.implementer, scopeDigest: row.scope_digest, approvals: approvals.get(row.id) ?? [] }));
  }
  // Approvals of a change that does not exist are state without any entry that could have made them.
  for (const changeId of approvals.keys()) {
    if (!seals.has(changeId)) seals.set(changeId, sealChange({ id: changeId, requestedBy: '', implementer: '', scopeDigest: '', approvals: approvals.get(changeId)! }));
  }
  return seals;
}

export interface StateReport {
  ok: boolean;
  /** Rows compared with the seal of their latest entry. */
  checked: number;
  /** Rows whose entries predate seals (written before migration 012): nothing to compare with. */
  unsealed: number;
  findings: StateFinding[];
}

/**
 * Every upgrade and change (with its approvals) compared with the seal of the latest log entry
 * about it. Trusting the seals needs a sound log: run it with the chain and checkpoint checks.
 */
export async function verifyStateRows(db: Db): Promise<StateReport> {
  const latest = new Map<string, { seq: number; seal: Seal }>();
  const sealed = await db.selectFrom('oplog').select(['seq', 'subject', 'seal']).where('seal', 'is not', null).orderBy('seq').execute();
  for (const row of sealed) {
    const seal = parseSeal(row.seal ?? '');
    if (seal) latest.set(row.subject, { seq: Number(row.seq), seal });
  }
  const logged = new Set(
    (await db.selectFrom('oplog').select('subject').distinct().where((eb) => eb.or([eb('subject', 'like', 'upg_%'), eb('subject', 'like', 'chg_%')])).execute()).map((r) => r.subject),
  );
  const findings: StateFinding[] = [];
  let checked = 0;
  let unsealed = 0;
  for (const [kind, seals] of [['upgrade', await upgradeSeals(db)], ['change', await changeSeals(db)]] as const) {
    for (const [id, current] of seals) {
      const last = latest.get(id);
      if (last) checked++;
      else if (logged.has(id)) unsealed++;
      const finding = compareSeal(kind, id, current, last, logged.has(id));
      if (finding) findings.push(finding);
    }
  }
  return { ok: findings.length === 0, checked, unsealed, findings };
}
