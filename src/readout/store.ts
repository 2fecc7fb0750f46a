import type { Db } from '../store/db.js';
import type { UpgradeState } from '../core/upgrade/index.js';

/** Every risk assessment of an upgrade, oldest first: the risk-over-time series. */
export async function assessmentHistory(db: Db, upgradeId: string): Promise<{ id: string; at: string; score: number }[]> {
  const rows = await db.selectFrom('risk_assessments').select(['id', 'score', 'created_at']).where('upgrade_id', '=', upgradeId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, at: r.created_at, score: Number(r.score) }));
}

/** The EPSS score date stored for each of these CVEs, with the score it was read with. */
export async function epssDates(db: Db, cves: readonly string[]): Promise<Map<string, { score: number; date: string | null }>> {
  const found = new Map<string, { score: number; date: string | null }>();
  for (let i = 0; i < cves.length; i += 500) {
    const rows = await db.selectFrom('epss_scores').select(['cve', 'epss', 'score_date']).where('cve', 'in', cves.slice(i, i + 500)).execute();
    for (const r of rows) found.set(r.cve, { score: Number(r.epss), date: r.score_date });
  }
  return found;
}

export async function countEpssScores(db: Db): Promise<number> {
  const row = await db.selectFrom('epss_scores').select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When each state of an upgrade was entered, from the operation log (`upgrade.<event>` entries). */
export async function upgradeTransitions(db: Db, upgradeId: string): Promise<{ action: string; at: string; reason: string }[]> {
  const rows = await db.selectFrom('oplog').select(['action', 'at', 'reason']).where('subject', '=', upgradeId).where('action', 'like', 'upgrade.%').orderBy('seq').execute();
  return rows.map((r) => ({ action: r.action, at: r.at, reason: r.reason }));
}

/** Upgrades whose last change (for a terminal one: when it ended) falls in `[from, to)`. */
export async function upgradesChangedIn(db: Db, from: string, to: string, states?: readonly UpgradeState[]): Promise<string[]> {
  let query = db.selectFrom('upgrades').select('id').where('updated_at', '>=', from).where('updated_at', '<', to).orderBy('updated_at').orderBy('id');
  if (states) query = query.where('state', 'in', [...states]);
  return (await query.execute()).map((r) => r.id);
}

/** Upgrades with at least one risk assessment, created before `to`: the calibration population. */
export async function assessedUpgradeIds(db: Db, from: string | undefined, to: string | undefined): Promise<string[]> {
  let query = db.selectFrom('upgrades').select('id').where('id', 'in', db.selectFrom('risk_assessments').select('upgrade_id')).orderBy('created_at').orderBy('id');
  if (from !== undefined) query = query.where('created_at', '>=', from);
  if (to !== undefined) query = query.where('created_at', '<', to);
  return (await query.execute()).map((r) => r.id);
}

/** Findings of these advisories on these services, for the packages an upgrade moves: open and retired. */
export async function findingsFor(db: Db, names: readonly string[], services: readonly string[], advisoryIds: readonly string[]): Promise<{ status: string; service: string; advisoryId: string; updatedAt: string }[]> {
  if (names.length === 0 || services.length === 0 || advisoryIds.length === 0) return [];
  const rows = await db
    .selectFrom('findings')
    .select(['status', 'service', 'advisory_id', 'updated_at'])
    .where('name', 'in', [...names])
    .where('service', 'in', [...services])
    .where('advisory_id', 'in', [...advisoryIds])
    .execute();
  return rows.map((r) => ({ status: r.status, service: r.service, advisoryId: r.advisory_id, updatedAt: r.updated_at }));
}

/** The rollouts of an upgrade, one per service and attempt. */
export async function rolloutsOf(db: Db, upgradeId: string): Promise<{ service: string; state: string; attempt: number }[]> {
  // `state` is the engine's whole state (JSON); `phase` is what a reader calls its state (done, rolled-back, …).
  const rows = await db.selectFrom('rollouts').select(['service', 'phase', 'state', 'attempt']).where('upgrade_id', '=', upgradeId).orderBy('service').orderBy('attempt').execute();
  return rows.map((r) => ({ service: r.service, state: r.phase ?? phaseIn(r.state), attempt: Number(r.attempt) }));
}

function phaseIn(state: string): string {
  try {
    const phase = (JSON.parse(state) as { phase?: unknown }).phase;
    return typeof phase === 'string' ? phase : 'unknown';
  } catch {
    return 'unknown';
  }
}
