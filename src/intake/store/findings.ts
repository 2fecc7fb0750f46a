import { createHash } from 'node:crypto';
import type { Db, Tx } from '../../store/db.js';
import type { Database, FindingStatus } from '../../store/schema.js';
import { rowsAfter, type KeysetPage } from '../../store/repos/keyset.js';

export interface FindingInput {
  advisoryId: string;
  service: string;
  environment: string;
  purl: string;
  ecosystem: string;
  name: string;
  version: string;
  direct: boolean;
  fixedIn: string[];
}

export interface StoredFinding extends FindingInput {
  id: string;
  status: FindingStatus;
  firstSeenAt: string;
  updatedAt: string;
}

export function findingId(f: Pick<FindingInput, 'advisoryId' | 'service' | 'environment' | 'purl'>): string {
  return 'fnd_' + createHash('sha256').update(`${f.advisoryId}\u0000${f.service}\u0000${f.environment}\u0000${f.purl}`).digest('hex').slice(0, 24);
}

export interface FindingChanges {
  opened: number;
  reopened: number;
  changed: number;
  retired: number;
  open: number;
}

/**
 * Makes the stored findings equal to `current`: new ones open, ones no longer matched (the
 * component moved on, or the advisory was withdrawn or changed) are retired, not deleted.
 */
export async function syncFindings(trx: Tx, current: FindingInput[], now: Date): Promise<FindingChanges> {
  const at = now.toISOString();
  const stored = new Map((await trx.selectFrom('findings').selectAll().execute()).map((r) => [r.id, r]));
  const changes: FindingChanges = { opened: 0, reopened: 0, changed: 0, retired: 0, open: 0 };
  const inserts: Database['findings'][] = [];
  const seen = new Set<string>();
  for (const f of current) {
    const id = findingId(f);
    if (seen.has(id)) continue;
    seen.add(id);
    changes.open++;
    const fixedIn = JSON.stringify([...f.fixedIn].sort());
    const before = stored.get(id);
    if (!before) {
      inserts.push({ id, advisory_id: f.advisoryId, service: f.service, environment: f.environment, purl: f.purl, ecosystem: f.ecosystem, name: f.name, version: f.version, direct: f.direct ? 1 : 0, fixed_in: fixedIn, status: 'open', first_seen_at: at, updated_at: at });
      changes.opened++;
    } else if (before.status === 'retired') {
      await trx.updateTable('findings').set({ status: 'open', fixed_in: fixedIn, updated_at: at }).where('id', '=', id).execute();
      changes.reopened++;
    } else if (before.fixed_in !== fixedIn || before.direct !== (f.direct ? 1 : 0)) {
      await trx.updateTable('findings').set({ fixed_in: fixedIn, direct: f.direct ? 1 : 0, updated_at: at }).where('id', '=', id).execute();
      changes.changed++;
    }
  }
  // Finding ids are derived from their content: one stored by a concurrent writer is the same finding.
  for (let i = 0; i < inserts.length; i += 200) await trx.insertInto('findings').values(inserts.slice(i, i + 200)).onConflict((oc) => oc.column('id').doNothing()).execute();
  const retire = [...stored.values()].filter((r) => r.status === 'open' && !seen.has(r.id)).map((r) => r.id);
  for (let i = 0; i < retire.length; i += 500) {
    await trx.updateTable('findings').set({ status: 'retired', updated_at: at }).where('id', 'in', retire.slice(i, i + 500)).execute();
  }
  changes.retired = retire.length;
  return changes;
}

/** The sort key of the findings list; the id makes it unique (one package name can be found twice). */
export interface FindingKey {
  service: string;
  environment: string;
  name: string;
  advisoryId: string;
  id: string;
}

export function findingKey(f: StoredFinding): FindingKey {
  return { service: f.service, environment: f.environment, name: f.name, advisoryId: f.advisoryId, id: f.id };
}

/**
 * Findings by service, environment, package and advisory; optionally a page at a time after
 * `after` (index findings_page: status, then the sort key).
 */
export async function listFindings(
  db: Db,
  filter: { status?: FindingStatus; service?: string; ecosystem?: string; name?: string } & KeysetPage<FindingKey> = {},
): Promise<StoredFinding[]> {
  let query = db.selectFrom('findings').selectAll().orderBy('service').orderBy('environment').orderBy('name').orderBy('advisory_id').orderBy('id');
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.service) query = query.where('service', '=', filter.service);
  if (filter.ecosystem) query = query.where('ecosystem', '=', filter.ecosystem);
  if (filter.name) query = query.where('name', '=', filter.name);
  if (filter.after) {
    const a = filter.after;
    // A column fixed by equality stays out of the row value, so the index range starts right after it.
    query = filter.service
      ? query.where(rowsAfter(['environment', 'name', 'advisory_id', 'id'], [a.environment, a.name, a.advisoryId, a.id]))
      : query.where(rowsAfter(['service', 'environment', 'name', 'advisory_id', 'id'], [a.service, a.environment, a.name, a.advisoryId, a.id]));
  }
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map((r) => ({
    id: r.id,
    advisoryId: r.advisory_id,
    service: r.service,
    environment: r.environment,
    purl: r.purl,
    ecosystem: r.ecosystem,
    name: r.name,
    version: r.version,
    direct: r.direct === 1,
    fixedIn: JSON.parse(r.fixed_in) as string[],
    status: r.status,
    firstSeenAt: r.first_seen_at,
    updatedAt: r.updated_at,
  }));
}

/** How many findings intake last saw still matched. */
export async function countOpenFindings(db: Db): Promise<number> {
  const row = await db.selectFrom('findings').select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
  return Number(row.n);
}
