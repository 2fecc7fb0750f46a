import type { RiskPolicy } from '../config/sections/risk-policy.js';
import { latestAssessment } from '../intake/store/risk.js';
import { getUpgrade } from '../store/repos/upgrades.js';
import type { Db } from '../store/db.js';
import { calibrate, type CalibrationReport, type CalibrationSample } from './calibration.js';
import type { Period } from '../core/period.js';
import type { ReadoutSources } from './sources.js';
import { assessedUpgradeIds, upgradeTransitions } from './store.js';

const dayMs = 86_400_000;

/**
 * The calibration report over the upgrades created in the period (all, without one) that have a
 * risk assessment and an outcome: rolled back at least once, done, or verifying. Incidents count
 * when an incident source is wired; otherwise the report says only rollbacks were counted.
 */
export async function calibrationReport(
  deps: { db: Db; risk: RiskPolicy; sources: ReadoutSources; windowDays: number },
  period: Period | undefined,
): Promise<CalibrationReport & { period?: Period; pending: number }> {
  const ids = await assessedUpgradeIds(deps.db, period?.from, period?.to);
  const samples: CalibrationSample[] = [];
  let pending = 0;
  const notes: string[] = [];
  if (!deps.sources.incidents) notes.push('incidents are not counted: no incident source is wired into the readout yet (verify/incidents); only rollbacks mark an upgrade as gone wrong');
  for (const id of ids) {
    const upgrade = await getUpgrade(deps.db, id);
    const stored = await latestAssessment(deps.db, id);
    if (!upgrade || !stored) continue;
    const transitions = await upgradeTransitions(deps.db, id);
    const rollback = transitions.find((t) => t.action === 'upgrade.rollback');
    const base = { upgradeId: id, name: upgrade.name, score: stored.assessment.score, factors: stored.assessment.factors };
    if (rollback || upgrade.state === 'rolled_back') {
      samples.push({ ...base, outcome: 'rolled_back', detail: rollback ? `rolled back ${rollback.at.slice(0, 10)}: ${rollback.reason}` : 'state rolled_back' });
      continue;
    }
    if (upgrade.state !== 'done' && upgrade.state !== 'verifying') {
      if (upgrade.state !== 'rejected' && upgrade.state !== 'superseded') pending++;
      continue;
    }
    const reached = transitions.find((t) => t.action === 'upgrade.start_verification')?.at ?? upgrade.updatedAt;
    if (deps.sources.incidents) {
      const start = transitions.find((t) => t.action === 'upgrade.start_canary')?.at ?? upgrade.createdAt;
      const counts = await deps.sources.incidents({
        services: upgrade.services,
        before: { from: new Date(Date.parse(start) - deps.windowDays * dayMs).toISOString(), to: start },
        after: { from: start, to: new Date(Date.parse(reached) + deps.windowDays * dayMs).toISOString() },
      });
      const after = counts.filter((c) => c.after > 0);
      if (after.length > 0) {
        samples.push({ ...base, outcome: 'incident', detail: after.map((c) => `${c.after} incidents on ${c.service} (${c.source})`).join('; ') });
        continue;
      }
    }
    samples.push({ ...base, outcome: 'clean', detail: `${upgrade.state} without rollback${deps.sources.incidents ? ' or incident' : ''}` });
  }
  if (pending > 0) notes.push(`${pending} assessed upgrades have no outcome yet (still on their way) and are left out`);
  return { ...calibrate(samples, deps.risk, notes), ...(period ? { period } : {}), pending };
}
