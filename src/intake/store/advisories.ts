import type { Advisory } from '../osv/types.js';
import type { KevEntry } from '../sources/kev/types.js';
import type { Db, Tx } from '../../store/db.js';
import type { Database } from '../../store/schema.js';

export interface AdvisoryUpsert {
  inserted: string[];
  updated: string[];
  withdrawn: string[];
}

/** Stores advisories whose content changed since they were last seen; unchanged ones cost nothing. */
export async function upsertAdvisories(trx: Tx, items: { advisory: Advisory; source: string }[], now: Date): Promise<AdvisoryUpsert> {
  const known = new Map<string, { hash: string; withdrawn: string | null }>();
  for (const row of await trx.selectFrom('advisories').select(['id', 'content_hash', 'withdrawn']).execute()) {
    known.set(row.id, { hash: row.content_hash, withdrawn: row.withdrawn });
  }
  const result: AdvisoryUpsert = { inserted: [], updated: [], withdrawn: [] };
  const at = now.toISOString();
  const inserts: Database['advisories'][] = [];
  for (const { advisory, source } of items) {
    const before = known.get(advisory.id);
    if (before?.hash === advisory.contentHash) continue;
    const row = {
      id: advisory.id,
      modified: advisory.modified,
      withdrawn: advisory.withdrawn ?? null,
      aliases: JSON.stringify(advisory.aliases),
      summary: advisory.summary ?? null,
      body: JSON.stringify(advisory),
      content_hash: advisory.contentHash,
      source,
      first_seen_at: at,
      updated_at: at,
    };
    if (!before) {
      inserts.push(row);
      result.inserted.push(advisory.id);
    } else {
      const { first_seen_at: _first, ...changes } = row;
      await trx.updateTable('advisories').set(changes).where('id', '=', advisory.id).execute();
      result.updated.push(advisory.id);
    }
    if (advisory.withdrawn !== undefined && before?.withdrawn == null) result.withdrawn.push(advisory.id);
    known.set(advisory.id, { hash: advisory.contentHash, withdrawn: advisory.withdrawn ?? null });
  }
  // Another writer (a run that did not take the intake lease, an older version) may have stored
  // the same advisory since we read: take the newer content instead of failing on the key.
  for (let i = 0; i < inserts.length; i += 200) {
    await trx
      .insertInto('advisories')
      .values(inserts.slice(i, i + 200))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          modified: eb.ref('excluded.modified'),
          withdrawn: eb.ref('excluded.withdrawn'),
          aliases: eb.ref('excluded.aliases'),
          summary: eb.ref('excluded.summary'),
          body: eb.ref('excluded.body'),
          content_hash: eb.ref('excluded.content_hash'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  return result;
}

export async function getAdvisory(db: Db, id: string): Promise<Advisory | undefined> {
  const row = await db.selectFrom('advisories').select('body').where('id', '=', id).executeTakeFirst();
  return row ? (JSON.parse(row.body) as Advisory) : undefined;
}

/** Ids of every stored advisory. */
export async function listAdvisoryIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('advisories').select('id').execute()).map((r) => r.id);
}

/** The stored advisories with these ids, by id (unknown ids are skipped), read a batch at a time. */
export async function getAdvisories(db: Db, ids: readonly string[]): Promise<Map<string, Advisory>> {
  const found = new Map<string, Advisory>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('advisories').select(['id', 'body']).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const row of rows) found.set(row.id, JSON.parse(row.body) as Advisory);
  }
  return found;
}

/** Every stored advisory's id, aliases, withdrawal and summary: the small columns, not the body. */
export async function listAdvisoryHeads(db: Db): Promise<{ id: string; aliases: string[]; withdrawn: string | null; summary: string | null }[]> {
  const rows = await db.selectFrom('advisories').select(['id', 'aliases', 'withdrawn', 'summary']).execute();
  return rows.map((r) => ({ id: r.id, aliases: JSON.parse(r.aliases) as string[], withdrawn: r.withdrawn, summary: r.summary }));
}

export async function countAdvisories(db: Db): Promise<{ total: number; withdrawn: number }> {
  const rows = await db.selectFrom('advisories').select(['withdrawn']).execute();
  return { total: rows.length, withdrawn: rows.filter((r) => r.withdrawn !== null).length };
}

/** Replaces the stored KEV catalog with the given entries (KEV is small: about 1,400 rows). */
export async function replaceKev(trx: Tx, entries: Iterable<KevEntry>): Promise<number> {
  await trx.deleteFrom('kev_entries').execute();
  const rows = [...entries].map((e) => ({
    cve: e.cveID,
    date_added: e.dateAdded,
    due_date: e.dueDate ?? null,
    known_ransomware: e.knownRansomware ? 1 : 0,
    body: JSON.stringify(e),
  }));
  for (let i = 0; i < rows.length; i += 400) await trx.insertInto('kev_entries').values(rows.slice(i, i + 400)).execute();
  return rows.length;
}

export async function replaceEpss(trx: Tx, scores: Map<string, { epss: number; percentile: number }>, scoreDate: string | undefined): Promise<number> {
  await trx.deleteFrom('epss_scores').execute();
  const rows = [...scores].map(([cve, s]) => ({ cve, epss: s.epss, percentile: s.percentile, score_date: scoreDate ?? null }));
  for (let i = 0; i < rows.length; i += 400) await trx.insertInto('epss_scores').values(rows.slice(i, i + 400)).execute();
  return rows.length;
}

export async function loadKev(db: Db): Promise<Map<string, { dateAdded: string; knownRansomware: boolean }>> {
  const rows = await db.selectFrom('kev_entries').select(['cve', 'date_added', 'known_ransomware']).execute();
  return new Map(rows.map((r) => [r.cve, { dateAdded: r.date_added, knownRansomware: r.known_ransomware === 1 }]));
}

export async function loadEpss(db: Db, cves: string[]): Promise<Map<string, { score: number; percentile: number }>> {
  const result = new Map<string, { score: number; percentile: number }>();
  for (let i = 0; i < cves.length; i += 500) {
    const rows = await db.selectFrom('epss_scores').selectAll().where('cve', 'in', cves.slice(i, i + 500)).execute();
    for (const r of rows) result.set(r.cve, { score: Number(r.epss), percentile: Number(r.percentile) });
  }
  return result;
}

/**
 * What each source yielded at its last accepted read, by key (`advisories:<spec>`, `kev`, `epss`),
 * for the source health check. KEV and EPSS are counted from what is stored (it is exactly that read).
 */
export async function loadSourceCounts(db: Db): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const row of await db.selectFrom('intake_sources').select(['source', 'records']).execute()) counts.set(row.source, Number(row.records));
  const kev = await db.selectFrom('kev_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const epss = await db.selectFrom('epss_scores').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(kev.n) > 0) counts.set('kev', Number(kev.n));
  if (Number(epss.n) > 0) counts.set('epss', Number(epss.n));
  return counts;
}

/** Remembers what accepted sources yielded; failed and unreachable sources keep their last count. */
export async function recordSourceCounts(trx: Tx, accepted: { key: string; records: number }[], now: Date): Promise<void> {
  for (const { key, records } of accepted) {
    await trx.deleteFrom('intake_sources').where('source', '=', key).execute();
    await trx.insertInto('intake_sources').values({ source: key, content_hash: '', records, checked_at: now.toISOString() }).execute();
  }
}
