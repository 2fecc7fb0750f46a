import { newId } from '../../core/ids.js';
import type { InventoryComponent, ParsedInventory } from '../../core/inventory.js';
import type { Db } from '../db.js';
import type { Store } from '../open.js';
import type { Database } from '../schema.js';
import { rowsAfter, type KeysetPage } from './keyset.js';
import { appendLog } from './operation-log.js';

export interface InventoryImportResult {
  importId: string;
  status: 'imported' | 'unchanged';
  components: number;
  skipped: number;
  /** Versions that changed against the previous import of the same service and environment. */
  changed: { added: number; removed: number; versionChanged: number };
}

/**
 * Replaces what a service runs in an environment with the components of one inventory file.
 * All or nothing: a failed import leaves the previous inventory in place.
 */
export async function importInventory(
  store: Store,
  input: {
    service: string;
    environment: string;
    file: string;
    sha256: string;
    parsed: ParsedInventory;
    actor: string;
    now?: Date;
    /** Sees how many stored components (by name) this import would remove, before anything is written; throws to refuse. */
    checkRemovals?: (counts: { replacing: number; removing: number }) => void;
  },
): Promise<InventoryImportResult> {
  const now = input.now ?? store.clock.now();
  return store.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('inventory_imports')
      .select(['id', 'sha256'])
      .where('service', '=', input.service)
      .where('environment', '=', input.environment)
      .orderBy('imported_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const components = input.parsed.components;
    const noChange = { added: 0, removed: 0, versionChanged: 0 };
    if (last?.sha256 === input.sha256) {
      return { importId: last.id, status: 'unchanged', components: components.length, skipped: input.parsed.skipped.length, changed: noChange };
    }
    const previous = await trx
      .selectFrom('inventory_components')
      .select(['ecosystem', 'name', 'version'])
      .where('service', '=', input.service)
      .where('environment', '=', input.environment)
      .execute();
    const changed = diff(previous, components);
    input.checkRemovals?.({ replacing: versionsByName(previous).size, removing: changed.removed });
    const importId = newId('imp');
    await trx
      .insertInto('inventory_imports')
      .values({
        id: importId,
        service: input.service,
        environment: input.environment,
        file: input.file,
        format: input.parsed.format,
        format_version: input.parsed.formatVersion,
        sha256: input.sha256,
        component_count: components.length,
        skipped_count: input.parsed.skipped.length,
        imported_at: now.toISOString(),
        imported_by: input.actor,
      })
      .execute();
    await trx.deleteFrom('inventory_components').where('service', '=', input.service).where('environment', '=', input.environment).execute();
    const rows = components.map((c) => toRow(c, input.service, input.environment, importId));
    for (let i = 0; i < rows.length; i += 400) {
      await trx.insertInto('inventory_components').values(rows.slice(i, i + 400)).execute();
    }
    await appendLog(trx, [
      {
        actor: input.actor,
        action: 'inventory.import',
        subject: `${input.service}/${input.environment}`,
        reason: `${components.length} components from ${input.parsed.format} ${input.parsed.formatVersion} (${changed.added} added, ${changed.removed} removed, ${changed.versionChanged} changed version)`,
        evidenceRef: `${importId}:sha256:${input.sha256}`,
      },
    ], now);
    return { importId, status: 'imported', components: components.length, skipped: input.parsed.skipped.length, changed };
  });
}

function diff(previous: { ecosystem: string; name: string; version: string }[], next: InventoryComponent[]): InventoryImportResult['changed'] {
  const before = versionsByName(previous);
  const after = versionsByName(next);
  let added = 0;
  let versionChanged = 0;
  for (const [key, versions] of after) {
    const old = before.get(key);
    if (old === undefined) added++;
    else if (old !== versions) versionChanged++;
    before.delete(key);
  }
  return { added, removed: before.size, versionChanged };
}

/** `ecosystem name` → its versions, sorted and joined: a service may carry one package in several versions. */
function versionsByName(components: { ecosystem: string; name: string; version: string }[]): Map<string, string> {
  const grouped = new Map<string, string[]>();
  for (const c of components) {
    const key = `${c.ecosystem} ${c.name}`;
    grouped.set(key, [...(grouped.get(key) ?? []), c.version]);
  }
  return new Map([...grouped].map(([key, versions]) => [key, [...new Set(versions)].sort().join(', ')]));
}

function toRow(c: InventoryComponent, service: string, environment: string, importId: string): Database['inventory_components'] {
  return {
    service,
    environment,
    purl: c.purl,
    ecosystem: c.ecosystem,
    name: c.name,
    version: c.version,
    direct: c.direct ? 1 : 0,
    scope: c.scope,
    import_id: importId,
  };
}

export interface StoredComponent extends InventoryComponent {
  service: string;
  environment: string;
}

export async function listComponents(
  db: Db,
  filter: { service?: string; environment?: string; name?: string } = {},
): Promise<StoredComponent[]> {
  let query = db.selectFrom('inventory_components').selectAll().orderBy('service').orderBy('environment').orderBy('purl');
  if (filter.service !== undefined) query = query.where('service', '=', filter.service);
  if (filter.environment !== undefined) query = query.where('environment', '=', filter.environment);
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  return (await query.execute()).map(componentFromRow);
}

export function componentFromRow(r: Database['inventory_components']): StoredComponent {
  return {
    service: r.service,
    environment: r.environment,
    purl: r.purl,
    ecosystem: r.ecosystem,
    name: r.name,
    version: r.version,
    direct: r.direct === 1,
    scope: r.scope,
  };
}

export async function listImports(db: Db): Promise<Database['inventory_imports'][]> {
  return db.selectFrom('inventory_imports').selectAll().orderBy('imported_at').orderBy('id').execute();
}

export interface DriftRow {
  service: string;
  ecosystem: string;
  name: string;
  /** Versions per environment (a package can be present in several versions); [] where absent. */
  versions: Record<string, string[]>;
}

/** Component counts per environment for each of `services` (a page of the service list), by the primary key. */
export async function countComponents(db: Db, services: string[]): Promise<Map<string, Record<string, number>>> {
  const counts = new Map<string, Record<string, number>>();
  if (services.length === 0) return counts;
  const rows = await db
    .selectFrom('inventory_components')
    .select((eb) => ['service', 'environment', eb.fn.countAll<number | string | bigint>().as('n')])
    .where('service', 'in', services)
    .groupBy(['service', 'environment'])
    .execute();
  for (const row of rows) {
    const perEnv = counts.get(row.service) ?? {};
    perEnv[row.environment] = Number(row.n);
    counts.set(row.service, perEnv);
  }
  return counts;
}

/** The sort key of the drift list. */
export interface DriftKey {
  service: string;
  ecosystem: string;
  name: string;
}

/**
 * Components whose versions differ between the environments of a service (or are missing in
 * one), ordered by service, ecosystem and name; optionally a page at a time after `after`.
 * It walks the components in that order (index inventory_components_by_service_package) in
 * chunks and stops once the page is full, so a deep page does not re-read the pages before it.
 */
export async function inventoryDrift(
  db: Db,
  filter: { service?: string; environments: string[] } & KeysetPage<DriftKey>,
): Promise<DriftRow[]> {
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  const drift: DriftRow[] = [];
  if (filter.environments.length === 0 || limit <= 0) return drift;
  const present = presentEnvironments(db, filter.environments);
  let after = filter.after;
  // Small chunks when a page is wanted (it usually fills early), large ones when reading everything.
  let chunk = Number.isFinite(limit) ? 2000 : 20000;
  for (;;) {
    let query = db
      .selectFrom('inventory_components')
      .select(['service', 'environment', 'ecosystem', 'name', 'version'])
      .where('environment', 'in', filter.environments)
      .orderBy('service')
      .orderBy('ecosystem')
      .orderBy('name')
      .limit(chunk + 1);
    if (filter.service !== undefined) query = query.where('service', '=', filter.service);
    if (after) {
      query = filter.service !== undefined
        ? query.where(rowsAfter(['ecosystem', 'name'], [after.ecosystem, after.name]))
        : query.where(rowsAfter(['service', 'ecosystem', 'name'], [after.service, after.ecosystem, after.name]));
    }
    const rows = await query.execute();
    const groups = groupByPackage(rows);
    const more = rows.length > chunk;
    // The last group may continue past this chunk: leave it for the next one.
    if (more) groups.pop();
    if (more && groups.length === 0) {
      chunk *= 4;
      continue;
    }
    for (const group of groups) {
      const row = driftOf(group, await present(group[0]!.service));
      if (row) drift.push(row);
      if (drift.length >= limit) return drift;
    }
    if (!more) return drift;
    const last = groups.at(-1)![0]!;
    after = { service: last.service, ecosystem: last.ecosystem, name: last.name };
  }
}

type ComponentVersion = Pick<Database['inventory_components'], 'service' | 'environment' | 'ecosystem' | 'name' | 'version'>;

function groupByPackage(rows: ComponentVersion[]): ComponentVersion[][] {
  const groups: ComponentVersion[][] = [];
  for (const row of rows) {
    const current = groups.at(-1);
    const head = current?.[0];
    if (head && head.service === row.service && head.ecosystem === row.ecosystem && head.name === row.name) current.push(row);
    else groups.push([row]);
  }
  return groups;
}

/** The configured environments (in config order) that hold an inventory for a service; cached per call. */
function presentEnvironments(db: Db, environments: string[]): (service: string) => Promise<string[]> {
  const cache = new Map<string, string[]>();
  return async (service) => {
    const known = cache.get(service);
    if (known) return known;
    const envs: string[] = [];
    for (const environment of environments) {
      const hit = await db.selectFrom('inventory_components').select('purl').where('service', '=', service).where('environment', '=', environment).limit(1).executeTakeFirst();
      if (hit) envs.push(environment);
    }
    cache.set(service, envs);
    return envs;
  };
}

/** Only environments that have an inventory for the service at all are compared, in config order. */
function driftOf(group: ComponentVersion[], envs: string[]): DriftRow | undefined {
  if (envs.length < 2) return undefined;
  const head = group[0]!;
  const versions: Record<string, string[]> = {};
  for (const env of envs) versions[env] = [...new Set(group.filter((c) => c.environment === env).map((c) => c.version))].sort();
  if (new Set(envs.map((env) => versions[env]!.join(','))).size <= 1) return undefined;
  return { service: head.service, ecosystem: head.ecosystem, name: head.name, versions };
}
