import { readLog } from '../store/repos/operation-log.js';
import type { LogEntry } from '../audit/chain.js';
import { UfError } from '../core/errors.js';
import type { Upgrade, UpgradeState } from '../core/upgrade/index.js';
import type { CisaDecision } from '../risk/ssvc/types.js';
import type { Store } from '../store/open.js';
import { latestAssessment, type StoredAssessment } from '../intake/store/risk.js';
import { getUpgrade, listUpgrades } from '../store/repos/upgrades.js';

/**
 * The upgrade as `uf upgrades show`, `GET /api/v1/upgrades/:id` and the demo see it: the upgrade,
 * its latest risk assessment and, when asked for, its operation-log entries. Each front end
 * presents it its own way.
 */
export interface UpgradeView {
  upgrade: Upgrade;
  /** Absent for an upgrade not assessed yet. */
  assessment: StoredAssessment | undefined;
  /** Oldest first; empty unless `withLog`. */
  log: LogEntry[];
}

/** One upgrade; `not_found` when there is none with this id. */
export async function viewUpgrade(store: Store, id: string, options: { withLog?: boolean } = {}): Promise<UpgradeView> {
  const upgrade = await getUpgrade(store.db, id);
  if (!upgrade) throw new UfError('not_found', `no upgrade ${id}`, { record: id });
  const log: LogEntry[] = [];
  if (options.withLog) for await (const entry of readLog(store.db, { subject: id })) log.push(entry);
  return { upgrade, assessment: await latestAssessment(store.db, id), log };
}

export type ScoredUpgrade = Upgrade & { score: number | null; decision: CisaDecision | null };

/** Upgrades by creation time, each with its latest score and SSVC decision (null when unassessed). */
export async function listScoredUpgrades(store: Store, filter: { state?: UpgradeState; service?: string } = {}): Promise<ScoredUpgrade[]> {
  return Promise.all(
    (await listUpgrades(store.db, filter)).map(async (u) => {
      const risk = await latestAssessment(store.db, u.id);
      return { ...u, score: risk?.assessment.score ?? null, decision: risk?.assessment.decision ?? null };
    }),
  );
}
