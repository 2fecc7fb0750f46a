import type { Db } from '../db.js';

/** Services the store knows: Components on the service map and services with an imported inventory. */
export async function knownServices(db: Db): Promise<string[]> {
  const mapped = await db.selectFrom('catalog_entities').select('name').where('kind', '=', 'Component').execute();
  const inventoried = await db.selectFrom('inventory_imports').select('service').distinct().execute();
  return sortedUnique([...mapped.map((r) => r.name), ...inventoried.map((r) => r.service)]);
}

/** Environments from factory.yaml and any with an imported inventory. */
export async function knownEnvironments(db: Db, configured: readonly string[]): Promise<string[]> {
  const inventoried = await db.selectFrom('inventory_imports').select('environment').distinct().execute();
  return [...configured, ...sortedUnique(inventoried.map((r) => r.environment)).filter((e) => !configured.includes(e))];
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}
