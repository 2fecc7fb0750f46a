import type { Db } from '../../store/db.js';
import { componentFromRow, type StoredComponent } from '../../store/repos/inventory.js';

/** Each distinct (ecosystem, name, version) any inventory holds, and how many component rows there are. */
export async function distinctPackageVersions(db: Db): Promise<{ versions: { ecosystem: string; name: string; version: string }[]; components: number }> {
  const versions = await db.selectFrom('inventory_components').select(['ecosystem', 'name', 'version']).distinct().execute();
  const counted = await db.selectFrom('inventory_components').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { versions, components: Number(counted.n) };
}

/** Every component row of these packages (ecosystem, name), in every service and environment. */
export async function componentsOfPackages(db: Db, packages: readonly (readonly [ecosystem: string, name: string])[]): Promise<StoredComponent[]> {
  if (packages.length === 0) return [];
  const rows = await db
    .selectFrom('inventory_components')
    .selectAll()
    .where((eb) => eb.or(packages.map(([ecosystem, name]) => eb.and([eb('ecosystem', '=', ecosystem), eb('name', '=', name)]))))
    .execute();
  return rows.map(componentFromRow);
}

/** How many component rows are of this ecosystem. */
export async function countComponentsOf(db: Db, ecosystem: string): Promise<number> {
  const n = await db.selectFrom('inventory_components').select((eb) => eb.fn.countAll<number>().as('n')).where('ecosystem', '=', ecosystem).executeTakeFirstOrThrow();
  return Number(n.n);
}
