import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';

/**
 * A cheap fingerprint of everything intake reads, so an unchanged re-run can stop at once.
 * Local files are fingerprinted by size and modification time (no read), folders by the same for
 * every JSON file in them; URLs by the validators of their cached copy.
 */
export function fingerprintPath(path: string): string {
  try {
    const stat = statSync(path);
    if (!stat.isDirectory()) return `${path}:${stat.size}:${stat.mtimeMs}`;
    const parts: string[] = [];
    walk(path, parts);
    return `${path}:${hash(parts.join('\n'))}`;
  } catch {
    return `${path}:missing`;
  }
}

function walk(dir: string, parts: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, parts);
    else if (entry.name.endsWith('.json')) {
      const stat = statSync(full);
      parts.push(`${entry.name}:${stat.size}:${stat.mtimeMs}`);
    }
  }
}

/** The store's side: inventories, catalog and open upgrades, by their newest change and count. */
export async function fingerprintStore(db: Kysely<Database>): Promise<string> {
  const imports = await db.selectFrom('inventory_imports').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('imported_at').as('last')]).executeTakeFirst();
  const catalog = await db.selectFrom('catalog_entities').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('imported_at').as('last')]).executeTakeFirst();
  const upgrades = await db.selectFrom('upgrades').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('last')]).executeTakeFirst();
  return JSON.stringify([imports, catalog, upgrades]);
}

export function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
