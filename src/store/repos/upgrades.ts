import { sql, type SqlBool } from 'kysely';
import { UfError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import {
  recordEvidence,
  terminalStates,
  transition,
  type ChangeClass,
  type Evidence,
  type GatePolicy,
  type TransitionRequest,
  type Upgrade,
  type UpgradeMember,
  type UpgradeState,
} from '../../core/upgrade/index.js';
import type { Db, Tx } from '../db.js';
import type { Store } from '../open.js';
import type { Database } from '../schema.js';
import { rowsAfter, type KeysetPage } from './keyset.js';
import { appendLog } from './operation-log.js';

export type NewUpgrade = Pick<Upgrade, 'ecosystem' | 'name' | 'purl' | 'fromVersions' | 'targetVersion' | 'services' | 'changeClass' | 'createdBy'> & {
  /** Why the upgrade exists (the advisory or release that prompted it), for the operation log. */
  reason: string;
  /** A pre-chosen id (from `newUpgradeId`), when the caller must reference it before creating. */
  id?: string;
  /** Packages released together, each with its own target; omitted for a single package. */
  members?: UpgradeMember[];
};

export function newUpgradeId(): string {
  return newId('upg');
}

export async function createUpgrade(store: Store, input: NewUpgrade, now = store.clock.now()): Promise<Upgrade> {
  return store.db.transaction().execute((trx) => createUpgradeIn(trx, input, now));
}

/** Creates an upgrade inside the caller's transaction, so that it commits with the caller's other writes. */
export async function createUpgradeIn(tx: Tx, input: NewUpgrade, now: Date): Promise<Upgrade> {
  if (input.services.length === 0) throw new UfError('usage', 'an upgrade needs at least one service');
  const at = now.toISOString();
  const upgrade: Upgrade = {
    id: input.id ?? newUpgradeId(),
    ecosystem: input.ecosystem,
    name: input.name,
    purl: input.purl,
    fromVersions: [...new Set(input.fromVersions)].sort(),
    targetVersion: input.targetVersion,
    services: [...new Set(input.services)].sort(),
    members: input.members && input.members.length > 1 ? input.members.map(normaliseMember) : [singleMember(input)],
    changeClass: input.changeClass,
    state: 'intake',
    weight: 0,
    createdBy: input.createdBy,
    createdAt: at,
    updatedAt: at,
    version: 1,
    evidence: [],
    postReviewRequired: false,
  };
  await tx.insertInto('upgrades').values(toRow(upgrade)).execute();
  await appendLog(tx, [
    {
      actor: input.createdBy,
      action: 'upgrade.create',
      subject: upgrade.id,
      reason: `${input.reason} (${upgrade.ecosystem} ${upgrade.name} ${upgrade.fromVersions.join(', ')} -> ${upgrade.targetVersion}${describeMembers(upgrade)}, ${upgrade.changeClass}, services: ${upgrade.services.join(', ')})`,
      evidenceRef: null,
    },
  ], now);
  return upgrade;
}

export async function getUpgrade(db: Db, id: string): Promise<Upgrade | undefined> {
  const row = await db.selectFrom('upgrades').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const evidence = await db.selectFrom('upgrade_evidence').selectAll().where('upgrade_id', '=', id).orderBy('seq').execute();
  return fromRow(row, evidence);
}

/** The upgrade still on the path for a package (by purl without version), if any: at most one. */
export async function findOpenUpgrade(db: Db, purl: string): Promise<Upgrade | undefined> {
  const row = await db
    .selectFrom('upgrades')
    .select('id')
    .where('purl', '=', purl)
    .where('state', 'not in', terminalStates)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row ? getUpgrade(db, row.id) : undefined;
}

/**
 * Open upgrades that move any of these packages (by purl without version): single-package ones
 * with that purl, and upgrades of several packages with one as a member. Planning uses it so that a
 * package never sits in two open upgrades when it joins or leaves a release group.
 */
export async function findOpenUpgradesMoving(db: Db, purls: string[]): Promise<Upgrade[]> {
  if (purls.length === 0) return [];
  const rows = await db
    .selectFrom('upgrades')
    .select('id')
    .where('state', 'not in', terminalStates)
    .where((eb) => eb.or([eb('purl', 'in', purls), eb('members', '!=', '[]')]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const wanted = new Set(purls);
  const found: Upgrade[] = [];
  for (const row of rows) {
    const upgrade = await getUpgrade(db, row.id);
    if (upgrade && upgrade.members.some((m) => wanted.has(m.purl))) found.push(upgrade);
  }
  return found;
}

/**
 * Changes which services and current versions an upgrade covers, before it has left triage
 * (new findings, or services that moved on by themselves). Later stages have tested a scope;
 * changing it then would invalidate their evidence, so it is refused.
 */
export async function rescopeUpgrade(
  store: Store,
  id: string,
  expectedVersion: number,
  scope: UpgradeScope,
  actor: string,
  reason: string,
  now = store.clock.now(),
): Promise<Upgrade> {
  return store.db.transaction().execute((trx) => rescopeUpgradeIn(trx, id, expectedVersion, scope, actor, reason, now));
}

export async function rescopeUpgradeIn(
  tx: Tx,
  id: string,
  expectedVersion: number,
  scope: UpgradeScope,
  actor: string,
  reason: string,
  now: Date,
): Promise<Upgrade> {
  // An upgrade for no service is no upgrade: the caller keeps the old scope and reports why.
  if (scope.services.length === 0) throw new UfError('usage', `upgrade ${id} cannot be rescoped to no services`, { record: id });
  const current = await load(tx, id, expectedVersion);
  if (current.state !== 'intake' && current.state !== 'triaged') {
    throw new UfError('illegal_transition', `upgrade ${id} is ${current.state}; its scope can only change in intake or triaged`, { record: id });
  }
  const next: Upgrade = {
    ...current,
    services: [...new Set(scope.services)].sort(),
    fromVersions: [...new Set(scope.fromVersions)].sort(),
    ...(scope.members && current.members.length > 1 ? { members: scope.members.map(normaliseMember) } : {}),
    changeClass: scope.changeClass,
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  await save(tx, next, expectedVersion);
  await appendLog(tx, [
    { actor, action: 'upgrade.rescope', subject: id, reason: `${reason} (services: ${next.services.join(', ')}; from ${next.fromVersions.join(', ')}${describeMembers(next)}; ${next.changeClass})`, evidenceRef: null },
  ], now);
  return next;
}

/** What a rescope may change. `members` only applies to an upgrade of several packages. */
export interface UpgradeScope {
  services: string[];
  fromVersions: string[];
  changeClass: ChangeClass;
  members?: UpgradeMember[];
}

function singleMember(u: Pick<Upgrade, 'ecosystem' | 'name' | 'purl' | 'fromVersions' | 'targetVersion'>): UpgradeMember {
  return { ecosystem: u.ecosystem, name: u.name, purl: u.purl, fromVersions: [...new Set(u.fromVersions)].sort(), targetVersion: u.targetVersion };
}

function normaliseMember(m: UpgradeMember): UpgradeMember {
  return { ...m, fromVersions: [...new Set(m.fromVersions)].sort() };
}

/** `; members: a 1 -> 2, b 1 -> 2` for the log of an upgrade of several packages, else nothing. */
function describeMembers(u: Upgrade): string {
  if (u.members.length <= 1) return '';
  return `; members: ${u.members.map((m) => `${m.name} ${m.fromVersions.join(', ')} -> ${m.targetVersion}`).join('; ')}`;
}


/** The sort key of the upgrade list: creation time, then id (unique). */
export interface UpgradeKey {
  createdAt: string;
  id: string;
}

/** Upgrades by creation, optionally a page at a time after `after` (indexes upgrades_page, upgrades_by_state_page). */
export async function listUpgrades(
  db: Db,
  filter: { state?: UpgradeState; service?: string } & KeysetPage<UpgradeKey> = {},
): Promise<Upgrade[]> {
  let query = db.selectFrom('upgrades').selectAll().orderBy('created_at').orderBy('id');
  if (filter.state) query = query.where('state', '=', filter.state);
  // `services` is a sorted JSON array of names; the quoted name occurs in it exactly when the
  // service is listed. replace() is case-sensitive on both databases (LIKE is not, on SQLite).
  if (filter.service !== undefined) {
    const quoted = JSON.stringify(filter.service);
    query = query.where(sql<SqlBool>`replace(services, ${quoted}, '') <> services`);
  }
  if (filter.after) query = query.where(rowsAfter(['created_at', 'id'], [filter.after.createdAt, filter.after.id]));
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map((row) => fromRow(row, []));
}

/**
 * Applies one gate to an upgrade. `expectedVersion` is the version the caller decided on; if
 * someone changed the upgrade since, the write is refused (optimistic concurrency) and nothing
 * is written. State, evidence and log entry are committed together.
 */
export async function applyTransition(
  store: Store,
  id: string,
  expectedVersion: number,
  request: TransitionRequest,
  policy: GatePolicy,
): Promise<Upgrade> {
  return store.db.transaction().execute((trx) => applyTransitionIn(trx, id, expectedVersion, request, policy));
}

export async function applyTransitionIn(tx: Tx, id: string, expectedVersion: number, request: TransitionRequest, policy: GatePolicy): Promise<Upgrade> {
  const current = await load(tx, id, expectedVersion);
  const result = transition(current, request, policy);
  await save(tx, result.upgrade, expectedVersion);
  await appendLog(tx, [{ actor: request.actor, at: request.at, ...result.log }], new Date(request.at));
  return result.upgrade;
}

export async function addEvidence(
  store: Store,
  id: string,
  expectedVersion: number,
  evidence: Omit<Evidence, 'stage' | 'weight' | 'id'>,
): Promise<Upgrade> {
  return store.db.transaction().execute((trx) => addEvidenceIn(trx, id, expectedVersion, evidence));
}

export async function addEvidenceIn(tx: Tx, id: string, expectedVersion: number, evidence: Omit<Evidence, 'stage' | 'weight' | 'id'>): Promise<Upgrade> {
  const current = await load(tx, id, expectedVersion);
  const result = recordEvidence(current, { ...evidence, id: newEvidenceId(id, current.evidence.length + 1) });
  await save(tx, result.upgrade, expectedVersion);
  const added = result.upgrade.evidence.at(-1)!;
  await tx.insertInto('upgrade_evidence').values(evidenceRow(id, result.upgrade.evidence.length, added)).execute();
  await appendLog(tx, [{ actor: evidence.recordedBy, at: evidence.recordedAt, ...result.log }], new Date(evidence.recordedAt));
  return result.upgrade;
}

function newEvidenceId(upgradeId: string, seq: number): string {
  return `${upgradeId.replace(/^upg_/, 'ev_')}_${seq}`;
}

async function load(trx: Tx, id: string, expectedVersion: number): Promise<Upgrade> {
  const current = await getUpgrade(trx, id);
  if (!current) throw new UfError('not_found', `no upgrade ${id}`, { record: id });
  if (current.version !== expectedVersion) throw conflict(id, expectedVersion, current.version);
  return current;
}

async function save(trx: Tx, upgrade: Upgrade, expectedVersion: number): Promise<void> {
  const rest = toRow(upgrade);
  const result = await trx.updateTable('upgrades').set(rest).where('id', '=', upgrade.id).where('version', '=', expectedVersion).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict(upgrade.id, expectedVersion, undefined);
}

function conflict(id: string, expected: number, actual: number | undefined): UfError {
  const now = actual === undefined ? 'it was changed concurrently' : `it is now at version ${actual}`;
  return new UfError('conflict', `upgrade ${id} changed since version ${expected} was read (${now}); reload and retry`, { record: id });
}

function toRow(u: Upgrade): Database['upgrades'] {
  return {
    id: u.id,
    ecosystem: u.ecosystem,
    name: u.name,
    purl: u.purl,
    from_versions: JSON.stringify(u.fromVersions),
    target_version: u.targetVersion,
    services: JSON.stringify(u.services),
    change_class: u.changeClass,
    state: u.state,
    weight: u.weight,
    created_by: u.createdBy,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    version: u.version,
    post_review_required: u.postReviewRequired ? 1 : 0,
    // A single package is its own member: stored as [] so rows read the same before and after 006.
    members: u.members.length > 1 ? JSON.stringify(u.members) : '[]',
  };
}

function evidenceRow(upgradeId: string, seq: number, e: Evidence): Database['upgrade_evidence'] {
  return {
    id: e.id,
    upgrade_id: upgradeId,
    seq,
    kind: e.kind,
    outcome: e.outcome,
    stage: e.stage,
    weight: e.weight,
    ref: e.ref,
    summary: e.summary,
    recorded_by: e.recordedBy,
    recorded_at: e.recordedAt,
  };
}

function fromRow(row: Database['upgrades'], evidence: Database['upgrade_evidence'][]): Upgrade {
  const fromVersions = JSON.parse(row.from_versions) as string[];
  const members = JSON.parse(row.members) as UpgradeMember[];
  return {
    id: row.id,
    ecosystem: row.ecosystem,
    name: row.name,
    purl: row.purl,
    fromVersions,
    targetVersion: row.target_version,
    services: JSON.parse(row.services) as string[],
    members: members.length > 0 ? members : [singleMember({ ecosystem: row.ecosystem, name: row.name, purl: row.purl, fromVersions, targetVersion: row.target_version })],
    changeClass: row.change_class,
    state: row.state,
    weight: row.weight,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    postReviewRequired: row.post_review_required === 1,
    evidence: evidence.map((e) => ({
      id: e.id,
      kind: e.kind,
      outcome: e.outcome,
      stage: e.stage,
      weight: e.weight,
      ref: e.ref,
      summary: e.summary,
      recordedBy: e.recorded_by,
      recordedAt: e.recorded_at,
    })),
  };
}

/** Id, purl and version of the upgrades `createdBy` opened that are now in one of `states`. */
export async function listUpgradeHeads(db: Db, filter: { createdBy: string; states: readonly UpgradeState[] }): Promise<{ id: string; purl: string; version: number }[]> {
  if (filter.states.length === 0) return [];
  return db.selectFrom('upgrades').select(['id', 'purl', 'version']).where('created_by', '=', filter.createdBy).where('state', 'in', filter.states).execute();
}
