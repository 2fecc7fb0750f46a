import type { CatalogEntity, EntityKind } from '../../core/service-map.js';
import type { Db } from '../db.js';
import type { Store } from '../open.js';
import type { Database } from '../schema.js';
import type { KeysetPage } from './keyset.js';
import { appendLog } from './operation-log.js';

export interface CatalogImportResult {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

/**
 * Stores the entities read from a set of catalog files. An entity that an earlier import took
 * from one of these files and that is no longer in it is removed: the files are the truth.
 * All or nothing, with one operation-log entry.
 */
export async function importCatalog(
  store: Store,
  input: {
    files: string[];
    entities: CatalogEntity[];
    actor: string;
    now?: Date;
    /** Sees how many stored entities of these files there are and which would be removed, before anything is written; throws to refuse. */
    checkRemovals?: (plan: { replacing: number; removed: readonly string[] }) => void;
  },
): Promise<CatalogImportResult> {
  const now = input.now ?? store.clock.now();
  return store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('catalog_entities').select(['ref', 'body', 'source_file']).execute();
    const byRef = new Map(existing.map((row) => [row.ref, row]));
    const incoming = new Set(input.entities.map((e) => e.ref));
    const result: CatalogImportResult = { added: 0, updated: 0, removed: 0, unchanged: 0 };
    const files = new Set(input.files);
    const replaced = existing.filter((row) => files.has(row.source_file));
    const stale = replaced.filter((row) => !incoming.has(row.ref)).map((row) => row.ref);
    input.checkRemovals?.({ replacing: replaced.length, removed: stale });
    for (const entity of input.entities) {
      const row = toRow(entity, now);
      const before = byRef.get(entity.ref);
      if (!before) {
        await trx.insertInto('catalog_entities').values(row).execute();
        result.added++;
      } else if (before.body !== row.body) {
        await trx.updateTable('catalog_entities').set(row).where('ref', '=', entity.ref).execute();
        result.updated++;
      } else {
        result.unchanged++;
      }
    }
    for (let i = 0; i < stale.length; i += 500) {
      await trx.deleteFrom('catalog_entities').where('ref', 'in', stale.slice(i, i + 500)).execute();
    }
    result.removed = stale.length;
    if (result.added + result.updated + result.removed > 0) {
      await appendLog(trx, [
        {
          actor: input.actor,
          action: 'catalog.import',
          subject: input.files.join(','),
          reason: `${input.entities.length} entities: ${result.added} added, ${result.updated} updated, ${result.removed} removed`,
          evidenceRef: null,
        },
      ], now);
    }
    return result;
  });
}

function toRow(entity: CatalogEntity, now: Date): Database['catalog_entities'] {
  return {
    ref: entity.ref,
    kind: entity.kind,
    name: entity.name,
    namespace: entity.namespace,
    owner: entity.owner ?? null,
    system: entity.system ?? null,
    tier: entity.factory.tier ?? null,
    body: JSON.stringify(entity),
    source_file: entity.source.file,
    imported_at: now.toISOString(),
  };
}

/** Entities by ref; optionally a page at a time after the ref `after` (index catalog_entities_by_kind for a kind). */
export async function listEntities(db: Db, filter: { kind?: EntityKind } & KeysetPage<string> = {}): Promise<CatalogEntity[]> {
  let query = db.selectFrom('catalog_entities').select('body').orderBy('ref');
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.after !== undefined) query = query.where('ref', '>', filter.after);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  const rows = await query.execute();
  return rows.map((row) => JSON.parse(row.body) as CatalogEntity);
}

/** Finds a Component by its plain name (`payments`) or full ref (`component:default/payments`). */
/** How many Components the catalog holds: tells "the catalog is empty" from "this service is not in it". */
export async function countServices(db: Db): Promise<number> {
  const row = await db.selectFrom('catalog_entities').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'Component').executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findService(db: Db, nameOrRef: string): Promise<CatalogEntity | undefined> {
  const needle = nameOrRef.toLowerCase();
  const row = await db
    .selectFrom('catalog_entities')
    .select('body')
    .where('kind', '=', 'Component')
    .where((eb) => eb.or([eb('ref', '=', needle), eb('ref', '=', `component:default/${needle}`), eb('name', '=', nameOrRef)]))
    .orderBy('ref')
    .executeTakeFirst();
  return row ? (JSON.parse(row.body) as CatalogEntity) : undefined;
}
