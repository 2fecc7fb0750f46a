import { sql, type Kysely } from 'kysely';
import { systemClock } from '../../core/clock.js';
import type { UpgradeState } from '../../core/upgrade/index.js';
import type { Tx } from '../db.js';
import { appendLog } from '../repos/operation-log.js';
import type { Database } from '../schema.js';

/** States an upgrade is still on the path in; kept literal here: a migration must not follow later code. */
const openStates: readonly UpgradeState[] = ['intake', 'triaged', 'compat', 'canary', 'progressive', 'verifying'];
const actor = 'uf:migration';

/**
 * Leases (one holder at a time for a named job: intake, later the rollout reconciler) and the
 * constraint that makes duplicate open upgrades impossible: at most one upgrade per component
 * (its version-less purl, the key intake plans by) may be on the path at a time. Stores written
 * by two concurrent intake runs before this existed hold duplicates; they are superseded first,
 * keeping the one furthest along the path (then the oldest), each with an operation-log entry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  // On PostgreSQL the migrator already runs each migration in a transaction; SQLite's does not.
  const typed = db as unknown as Kysely<Database>;
  if (typed.isTransaction) await supersedeDuplicates(typed as Tx);
  else await typed.transaction().execute(supersedeDuplicates);

  await sql`create unique index upgrades_one_open_per_component on upgrades (purl) where state in (${sql.join(openStates.map((s) => sql.lit(s)))})`.execute(db);
}

async function supersedeDuplicates(trx: Tx): Promise<void> {
  const rows = await trx.selectFrom('upgrades').select(['id', 'purl', 'state', 'version', 'created_at']).where('state', 'in', openStates).execute();
  const byPurl = new Map<string, typeof rows>();
  for (const row of rows) byPurl.set(row.purl, [...(byPurl.get(row.purl) ?? []), row]);
  // A migration runs outside any caller that could hand it a clock: it stamps the time it runs at.
  const now = systemClock.now();
  const at = now.toISOString();
  for (const [purl, group] of byPurl) {
    if (group.length < 2) continue;
    const [kept, ...extras] = group.sort(
      (a, b) => openStates.indexOf(b.state) - openStates.indexOf(a.state) || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id),
    );
    for (const extra of extras) {
      await trx.updateTable('upgrades').set({ state: 'superseded', version: Number(extra.version) + 1, updated_at: at }).where('id', '=', extra.id).execute();
      await appendLog(trx, [
        {
          actor,
          action: 'upgrade.supersede',
          subject: extra.id,
          reason: `duplicate of ${kept!.id} for ${purl} (${extra.state}); one upgrade per component may be open at a time: repaired by migration 005-leases-unique`,
          evidenceRef: null,
        },
      ], now, { seal: false });
      process.stderr.write(`uf: migration 005-leases-unique: superseded duplicate upgrade ${extra.id} of ${purl} (kept ${kept!.id})\n`);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('upgrades_one_open_per_component').execute();
  await db.schema.dropTable('leases').execute();
}
