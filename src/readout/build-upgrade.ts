import { UfError } from '../core/errors.js';
import type { Upgrade } from '../core/upgrade/index.js';
import { latestAssessment, type StoredAssessment } from '../intake/store/risk.js';
import { advisoryLabel, readAdvisory } from '../risk/factors/advisory.js';
import { getUpgrade } from '../store/repos/upgrades.js';
import { avoidedCost } from './economics/model.js';
import { economicsInput } from './economics/gather.js';
import type { ReadoutContext } from './context.js';
import { assessmentHistory, findingsFor, rolloutsOf, upgradeTransitions } from './store.js';
import type { TimeRange } from './sources.js';
import type { UpgradeReadout } from './types.js';

const dayMs = 86_400_000;

/** The executive readout of one upgrade, every figure from the store or a named source. */
export async function upgradeReadout(context: ReadoutContext, upgradeId: string): Promise<UpgradeReadout> {
  const upgrade = await getUpgrade(context.db, upgradeId);
  if (!upgrade) throw new UfError('not_found', `no upgrade ${upgradeId}`, { record: upgradeId });
  const stored = await latestAssessment(context.db, upgrade.id);
  const transitions = await upgradeTransitions(context.db, upgrade.id);
  const startedAt = transitions.find((t) => t.action === 'upgrade.start_canary')?.at;
  const completedAt = [...transitions].reverse().find((t) => t.action === 'upgrade.complete')?.at ?? (upgrade.state === 'done' ? upgrade.updatedAt : undefined);

  const whyNowMissing: string[] = [];
  if (!stored) whyNowMissing.push('no risk assessment is stored for this upgrade (intake has not scored it)');
  else if (stored.input.advisories.length === 0) whyNowMissing.push('it fixes no known advisory');
  if (stored && !stored.input.endOfLife) whyNowMissing.push('end of support of the version in use: no end-of-life data covers it (intake.endOfLife)');

  return {
    kind: 'upgrade',
    generatedAt: context.now.toISOString(),
    upgrade: {
      id: upgrade.id,
      name: upgrade.name,
      ecosystem: upgrade.ecosystem,
      state: upgrade.state,
      changeClass: upgrade.changeClass,
      createdAt: upgrade.createdAt,
      updatedAt: upgrade.updatedAt,
      ...(startedAt ? { startedAt } : {}),
      ...(completedAt ? { completedAt } : {}),
    },
    whatChanged: {
      versions: upgrade.members.map((m) => ({ name: m.name, from: m.fromVersions, to: m.targetVersion })),
      services: upgrade.services,
      rolloutServices: await rolloutsOf(context.db, upgrade.id),
    },
    whyNow: {
      ...(stored
        ? {
            assessment: {
              id: stored.id,
              at: stored.createdAt,
              score: stored.assessment.score,
              decision: stored.assessment.decision,
              decisionReason: stored.assessment.decisionReason,
              changeClass: stored.assessment.changeClass,
              changeClassReason: stored.assessment.changeClassReason,
            },
          }
        : {}),
      advisories: (stored?.input.advisories ?? []).map((a) => ({
        label: advisoryLabel(a),
        severity: readAdvisory(a, context.risk).severitySource,
        ...(a.epss ? { epss: a.epss } : {}),
        ...(a.kev ? { kev: a.kev } : {}),
      })),
      ...(stored?.input.endOfLife ? { endOfLife: stored.input.endOfLife } : {}),
      missing: whyNowMissing,
    },
    riskReduced: {
      ...(stored ? { before: { score: stored.assessment.score, at: stored.createdAt, source: `risk assessment ${stored.id} of ${stored.createdAt.slice(0, 10)}` } } : {}),
      ...(await riskAfter(context, upgrade, stored)),
      history: (await assessmentHistory(context.db, upgrade.id)).map((h) => ({ at: h.at, score: h.score })),
      avoidedCost: avoidedCost(await economicsInput(context, upgrade, stored)),
    },
    businessMetrics: await businessMetrics(context, upgrade, startedAt ?? upgrade.createdAt, completedAt),
  };
}

/**
 * Risk after: the score without its exploitability points, once the upgrade is done and intake no
 * longer finds the advisories it fixes on its services. Blast radius, reversibility and end of life
 * describe the change itself, so they stay; until the fix is confirmed the figure is not given.
 */
async function riskAfter(context: ReadoutContext, upgrade: Upgrade, stored: StoredAssessment | undefined): Promise<Pick<UpgradeReadout['riskReduced'], 'after' | 'afterMissing' | 'findings'>> {
  if (!stored) return { afterMissing: 'no risk assessment is stored, so there is no risk to compare', findings: { total: 0, open: 0 } };
  const ids = stored.input.advisories.flatMap((a) => [a.id, ...a.aliases]);
  const names = upgrade.members.map((m) => m.name);
  const findings = await findingsFor(context.db, names, upgrade.services, ids);
  const open = findings.filter((f) => f.status === 'open').length;
  const counts = { total: findings.length, open };
  if (upgrade.state !== 'done') return { afterMissing: `the upgrade is ${upgrade.state}, not done: risk after is known once it is done and intake no longer finds what it fixes`, findings: counts };
  if (open > 0) return { afterMissing: `${open} of ${findings.length} findings of the advisories it fixes are still open on its services (as intake last saw them)`, findings: counts };
  const exploitability = stored.assessment.factors.filter((f) => f.group === 'exploitability').reduce((sum, f) => sum + f.contribution, 0);
  const score = Math.max(0, Math.round(stored.assessment.score - exploitability));
  const confirmed = findings.length > 0 ? `intake retired all ${findings.length} findings of the fixed advisories` : 'no finding of the fixed advisories is open';
  return { after: { score, source: `risk assessment ${stored.id} less its exploitability points (${exploitability.toFixed(1)}); ${confirmed}` }, findings: counts };
}

async function businessMetrics(context: ReadoutContext, upgrade: Upgrade, startedAt: string, completedAt: string | undefined): Promise<UpgradeReadout['businessMetrics']> {
  const missing: string[] = [];
  const days = context.economics.comparisonWindowDays;
  const start = Date.parse(startedAt);
  const before: TimeRange = { from: new Date(start - days * dayMs).toISOString(), to: startedAt };
  const windows = completedAt ? { before, after: { from: completedAt, to: new Date(Date.parse(completedAt) + days * dayMs).toISOString() } } : undefined;
  let baselines;
  if (!context.sources.baselines) missing.push('KPI, SLO, latency and efficiency deltas: no baseline source is wired into the readout yet (verify/baselines)');
  else {
    baselines = await context.sources.baselines(upgrade.id);
    if (!baselines) missing.push('KPI, SLO, latency and efficiency deltas: no before/after baseline comparison is recorded for this upgrade');
  }
  let incidents;
  if (!context.sources.incidents) missing.push('incidents before and after: no incident source is wired into the readout yet (verify/incidents)');
  else if (!windows) missing.push(`incidents before and after: the upgrade is ${upgrade.state}, so there is no after window yet`);
  else incidents = await context.sources.incidents({ services: upgrade.services, ...windows });
  return { ...(windows ? { windows } : {}), ...(baselines ? { baselines } : {}), ...(incidents ? { incidents } : {}), missing };
}
