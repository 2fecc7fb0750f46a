import type { NewLogEntry } from '../../audit/chain.js';
import type { Db, Tx } from '../../store/db.js';
import { appendLog } from '../../store/repos/operation-log.js';
import type { Store } from '../../store/open.js';
import type { RollbackDrillTable } from '../../store/schema.js';
import type { DrillOutcome, DrillReport, StoredDrill } from './types.js';

/** Stores a drill with its operation-log entry, in one transaction. */
export async function saveDrill(store: Store, drill: StoredDrill): Promise<StoredDrill> {
  const entry: NewLogEntry = {
    actor: drill.actor,
    action: `drill.${drill.outcome}`,
    subject: drill.service,
    reason: drill.summary,
    evidenceRef: drill.id,
    at: drill.finishedAt,
  };
  await store.db.transaction().execute(async (tx: Tx) => {
    await tx.insertInto('rollback_drills').values(toRow(drill)).execute();
    await appendLog(tx, [entry], new Date(drill.finishedAt));
  });
  return drill;
}

/** Drills, newest first; of one service (any case) when named. */
export async function listDrills(db: Db, filter: { service?: string; limit?: number } = {}): Promise<StoredDrill[]> {
  let query = db.selectFrom('rollback_drills').selectAll().orderBy('finished_at', 'desc').orderBy('id', 'desc');
  if (filter.service !== undefined) query = query.where((eb) => eb(eb.fn('lower', ['service']), '=', filter.service!.toLowerCase()));
  return (await query.limit(filter.limit ?? 200).execute()).map(fromRow);
}

/** The newest passing drill of a service, if any. */
export async function latestPassingDrill(db: Db, service: string): Promise<StoredDrill | undefined> {
  const row = await db
    .selectFrom('rollback_drills')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['service']), '=', service.toLowerCase()))
    .where('outcome', '=', 'pass')
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

function toRow(drill: StoredDrill): RollbackDrillTable {
  return {
    id: drill.id,
    service: drill.service,
    router: drill.router,
    outcome: drill.outcome,
    rollback_ms: drill.rollbackMs,
    report: JSON.stringify(drill.report),
    summary: drill.summary,
    actor: drill.actor,
    started_at: drill.startedAt,
    finished_at: drill.finishedAt,
  };
}

function fromRow(row: RollbackDrillTable): StoredDrill {
  return {
    id: row.id,
    service: row.service,
    router: row.router,
    outcome: row.outcome as DrillOutcome,
    rollbackMs: row.rollback_ms,
    report: JSON.parse(row.report) as DrillReport,
    summary: row.summary,
    actor: row.actor,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
