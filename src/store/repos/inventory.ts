import type { Kysely } from 'kysely';
import { appendLog } from '../../audit/log.js';
import { newId } from '../../core/ids.js';
import type { InventoryComponent, ParsedInventory } from '../../core/inventory.js';
import type { Store } from '../open.js';
import type { Database } from '../schema.js';

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
  const now = input.now ?? new Date();
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
    await appendLog(trx, store.dialect, [
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
  db: Kysely<Database>,
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
    scope: r.scope as InventoryComponent['scope'],
  };
}

export async function listImports(db: Kysely<Database>): Promise<Database['inventory_imports'][]> {
  return db.selectFrom('inventory_imports').selectAll().orderBy('imported_at').orderBy('id').execute();
}

export interface DriftRow {
  service: string;
  ecosystem: string;
  name: string;
  /** Versions per environment (a package can be present in several versions); [] where absent. */
  versions: Record<string, string[]>;
}

/** Components whose versions differ between the environments of a service (or are missing in one). */
export async function inventoryDrift(db: Kysely<Database>, filter: { service?: string; environments: string[] }): Promise<DriftRow[]> {
  const components = await listComponents(db, filter.service !== undefined ? { service: filter.service } : {});
  const envsByService = new Map<string, Set<string>>();
  const rows = new Map<string, DriftRow>();
  for (const c of components) {
    if (!filter.environments.includes(c.environment)) continue;
    envsByService.set(c.service, (envsByService.get(c.service) ?? new Set()).add(c.environment));
    const key = `${c.service}\u0000${c.ecosystem}\u0000${c.name}`;
    const row = rows.get(key) ?? { service: c.service, ecosystem: c.ecosystem, name: c.name, versions: {} };
    const versions = (row.versions[c.environment] ??= []);
    if (!versions.includes(c.version)) versions.push(c.version);
    rows.set(key, row);
  }
  const drift: DriftRow[] = [];
  for (const row of rows.values()) {
    // Only compare environments that have an inventory for this service at all, in config order.
    const present = envsByService.get(row.service) ?? new Set();
    const envs = filter.environments.filter((env) => present.has(env));
    if (envs.length < 2) continue;
    const ordered: Record<string, string[]> = {};
    for (const env of envs) ordered[env] = (row.versions[env] ?? []).sort();
    row.versions = ordered;
    if (new Set(envs.map((env) => ordered[env]!.join(','))).size > 1) drift.push(row);
  }
  return drift.sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
}
