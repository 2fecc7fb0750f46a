import type { ChangeClass } from '../../core/upgrade/index.js';
import type { Db } from '../../store/db.js';

/**
 * Deployments as the factory's own records tell them: one per rollout attempt of an upgrade,
 * read from the operation log's upgrade transitions (the gates every path goes through, whether
 * the rollout engine or a person moved the upgrade). An attempt starts when the new version gets
 * production traffic (`start_canary`) and ends when it reaches 100% (`start_verification`) or is
 * rolled back (`rollback`: an automatic rollback, a manual abort, or a failed pause ended by an
 * abort all take this gate).
 */
export interface Deployment {
  /** `<upgrade>#<attempt>`. */
  id: string;
  upgradeId: string;
  attempt: number;
  services: string[];
  changeClass: ChangeClass;
  component: string;
  targetVersion: string;
  upgradeCreatedAt: string;
  /** `start_canary`: first production traffic. */
  startedAt: string;
  /** When the traffic last stepped up (canary, a promotion, 100%): where a failing attempt failed. */
  lastStepAt: string;
  reachedFullAt: string | null;
  doneAt: string | null;
  rolledBackAt: string | null;
  rollback: { actor: string; reason: string } | null;
  /** The log entries it was built from. */
  logSeqs: number[];
}

/** A deployment counts at the time it ended: reached 100%, or was rolled back on the way. */
export function deployedAt(d: Deployment): string | null {
  return d.reachedFullAt ?? d.rolledBackAt;
}

const transitions = ['upgrade.start_canary', 'upgrade.promote', 'upgrade.start_verification', 'upgrade.complete', 'upgrade.rollback'];

/** Every deployment recorded in the store, oldest first. */
export async function readDeployments(db: Db): Promise<Deployment[]> {
  const entries = await db.selectFrom('oplog').select(['seq', 'at', 'actor', 'action', 'subject', 'reason']).where('action', 'in', transitions).orderBy('seq').execute();
  if (entries.length === 0) return [];
  const upgrades = new Map((await db.selectFrom('upgrades').select(['id', 'services', 'change_class', 'name', 'target_version', 'created_at']).execute()).map((u) => [u.id, u]));
  const open = new Map<string, Deployment>();
  const attempts = new Map<string, number>();
  const all: Deployment[] = [];
  for (const entry of entries) {
    const upgrade = upgrades.get(entry.subject);
    if (!upgrade) continue;
    const current = open.get(entry.subject);
    switch (entry.action) {
      case 'upgrade.start_canary': {
        const attempt = (attempts.get(entry.subject) ?? 0) + 1;
        attempts.set(entry.subject, attempt);
        const d: Deployment = {
          id: `${entry.subject}#${attempt}`,
          upgradeId: entry.subject,
          attempt,
          services: JSON.parse(upgrade.services) as string[],
          changeClass: upgrade.change_class,
          component: upgrade.name,
          targetVersion: upgrade.target_version,
          upgradeCreatedAt: upgrade.created_at,
          startedAt: entry.at,
          lastStepAt: entry.at,
          reachedFullAt: null,
          doneAt: null,
          rolledBackAt: null,
          rollback: null,
          logSeqs: [entry.seq],
        };
        open.set(entry.subject, d);
        all.push(d);
        break;
      }
      case 'upgrade.promote':
        if (current) Object.assign(current, { lastStepAt: entry.at, logSeqs: [...current.logSeqs, entry.seq] });
        break;
      case 'upgrade.start_verification':
        if (current) Object.assign(current, { lastStepAt: entry.at, reachedFullAt: entry.at, logSeqs: [...current.logSeqs, entry.seq] });
        break;
      case 'upgrade.complete':
        if (current) Object.assign(current, { doneAt: entry.at, reachedFullAt: current.reachedFullAt ?? entry.at, logSeqs: [...current.logSeqs, entry.seq] });
        open.delete(entry.subject);
        break;
      case 'upgrade.rollback':
        if (current) Object.assign(current, { rolledBackAt: entry.at, rollback: { actor: entry.actor, reason: entry.reason }, logSeqs: [...current.logSeqs, entry.seq] });
        open.delete(entry.subject);
        break;
    }
  }
  return all;
}
