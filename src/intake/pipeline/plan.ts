import type { ServiceGraph } from '../../catalog/service-map/index.js';
import type { FactoryConfig } from '../../config/schema.js';
import type { CatalogEntity } from '../../core/service-map.js';
import { scoreRisk, type RiskAssessment } from '../../risk/index.js';
import type { Store } from '../../store/open.js';
import { latestAssessment, saveAssessment } from '../store/risk.js';
import {
  addEvidenceIn,
  applyTransitionIn,
  createUpgradeIn,
  findOpenUpgrade,
  findOpenUpgradesMoving,
  newUpgradeId,
  rescopeUpgradeIn,
} from '../../store/repos/upgrades.js';
import type { Upgrade, UpgradeMember } from '../../core/upgrade/index.js';
import type { FixedAdvisory } from '../../risk/index.js';
import type { ReadResult, SourceProblem } from './read-sources.js';
import { plannedRiskInput } from './planned-risk.js';
import { packageLabel } from '../../ecosystems/names.js';
import type { PlannedUpgrade } from './release-groups.js';

export const intakeActor = 'uf:intake';

export interface PlanOutcome {
  created: string[];
  rescoped: string[];
  rescored: string[];
  superseded: string[];
  unchanged: string[];
  /** Open upgrades past triage whose candidate changed: left alone, reported. */
  inProgress: string[];
}

export interface PlanContext {
  store: Store;
  config: FactoryConfig;
  graph: ServiceGraph;
  read: ReadResult;
  now: Date;
  /** Where planning reports what it refused to do (the run's problem list). */
  problems?: SourceProblem[];
}

const isEarly = (u: Upgrade) => u.state === 'intake' || u.state === 'triaged' || u.state === 'compat';

/** Turns one planned upgrade (one package, or several released together) into one triaged upgrade: create, rescope, rescore or supersede. */
export async function planUpgrade(
  context: PlanContext,
  unit: PlannedUpgrade,
  services: CatalogEntity[],
  advisories: FixedAdvisory[],
  outcome: PlanOutcome,
): Promise<void> {
  const { candidate, targetVersion: target } = unit;
  const label = packageLabel(unit.ecosystem, unit.name);
  const problem = (source: string, message: string) => context.problems?.push({ source, message });
  const sources = { kev: context.config.intake.kev !== undefined, epss: context.config.intake.epss !== undefined };
  const { input, releaseNotes } = plannedRiskInput(unit, advisories, services, context.graph, { read: context.read, now: context.now, sources });
  const assessment = scoreRisk(input, context.config.risk);
  const serviceNames = services.map((s) => s.name);
  const fromVersions = candidate.currentVersions;
  const members: UpgradeMember[] = unit.members.map((m) => ({
    ecosystem: m.candidate.ecosystem,
    name: m.candidate.name,
    purl: m.candidate.purl,
    fromVersions: m.candidate.currentVersions,
    targetVersion: m.target,
    ...(m.train !== undefined ? { releaseGroup: m.train } : {}),
  }));
  // Bounded: the reason is stored on the upgrade and in the operation log, and an upgrade may fix thousands of advisories.
  const reason = `${candidate.advisories.slice(0, 20).join(', ')}${candidate.advisories.length > 20 ? ` and ${candidate.advisories.length - 20} more` : ''}: ${candidate.explanation}`;
  const existing = await findOpenUpgrade(context.store.db, unit.key);

  if (serviceNames.length === 0) {
    // The packages are affected, but no service running them is in the catalog (it was re-imported
    // without them, say). An upgrade for nobody cannot ship, and emptying one would lose its scope.
    if (existing) {
      problem(`upgrade ${existing.id}`, `${label}: none of the services running it is in the catalog now; kept its services (${existing.services.join(', ')}) instead of rescoping it to none`);
      outcome.unchanged.push(existing.id);
    } else {
      problem(label, `${label} is affected, but none of the services running it is in the catalog; no upgrade created`);
    }
    return;
  }
  // Open upgrades that move one of these packages under another identity: the package joined or
  // left a release group. They are superseded by this one, never left open beside it.
  const others = (await findOpenUpgradesMoving(context.store.db, members.map((m) => m.purl))).filter((u) => u.id !== existing?.id);
  const late = others.filter((u) => !isEarly(u));
  if (late.length > 0) {
    outcome.inProgress.push(...late.map((u) => u.id));
    return;
  }

  await context.store.db.transaction().execute(async (tx) => {
    const record = async (upgrade: Upgrade) => {
      const id = await saveAssessment(tx, upgrade.id, { assessment, input, candidate, ...(releaseNotes ? { releaseNotes } : {}) }, context.now);
      return addEvidenceIn(tx, upgrade.id, upgrade.version, {
        kind: 'risk_score',
        outcome: 'pass',
        ref: `risk:${id}`,
        summary: `score ${assessment.score}, ${assessment.decision}, ${assessment.changeClass}: ${assessment.summary}`,
        recordedBy: intakeActor,
        recordedAt: context.now.toISOString(),
      });
    };
    const createTriaged = async (id = newUpgradeId()) => {
      const created = await createUpgradeIn(tx, {
        id,
        ecosystem: unit.ecosystem,
        name: unit.name,
        purl: unit.key,
        fromVersions,
        targetVersion: target,
        services: serviceNames,
        ...(members.length > 1 ? { members } : {}),
        changeClass: assessment.changeClass,
        createdBy: intakeActor,
        reason,
      }, context.now);
      const scored = await record(created);
      await applyTransitionIn(tx, scored.id, scored.version, { event: 'triage', actor: intakeActor, reason: `risk scored ${assessment.score} (${assessment.decision})`, at: context.now.toISOString() }, context.config.policy);
      return created.id;
    };
    const supersede = async (old: Upgrade, newId: string, summary: string) => {
      const marked = await addEvidenceIn(tx, old.id, old.version, {
        kind: 'superseded_by',
        outcome: 'pass',
        ref: `upgrade:${newId}`,
        summary,
        recordedBy: intakeActor,
        recordedAt: context.now.toISOString(),
      });
      await applyTransitionIn(tx, old.id, marked.version, { event: 'supersede', actor: intakeActor, reason: `superseded by ${newId}`, at: context.now.toISOString() }, context.config.policy);
      outcome.superseded.push(old.id);
    };
    const regrouped = (old: Upgrade) =>
      members.length > 1 ? `${old.name} now moves with the packages released together with it (${unit.name})` : `${unit.name} no longer moves with ${old.name}`;

    if (!existing) {
      const newId = await createTriaged();
      for (const old of others) await supersede(old, newId, regrouped(old));
      outcome.created.push(newId);
      return;
    }
    if (existing.targetVersion !== target || !sameMembers(existing.members, members, false)) {
      if (!isEarly(existing)) {
        outcome.inProgress.push(existing.id);
        return;
      }
      // Supersede first: at most one upgrade per component may be open (a unique index enforces it).
      const newId = newUpgradeId();
      const moved = existing.targetVersion !== target ? `target moved from ${existing.targetVersion} to ${target}` : `members changed to ${members.map((m) => m.name).join(', ')}`;
      await supersede(existing, newId, moved);
      await createTriaged(newId);
      for (const old of others) await supersede(old, newId, regrouped(old));
      outcome.created.push(newId);
      return;
    }
    for (const old of others) await supersede(old, existing.id, regrouped(old));
    let current = existing;
    const sameScope =
      sameList(existing.services, serviceNames) &&
      sameList(existing.fromVersions, fromVersions) &&
      sameMembers(existing.members, members, true) &&
      existing.changeClass === assessment.changeClass;
    if (!sameScope) {
      if (existing.state !== 'intake' && existing.state !== 'triaged') {
        outcome.inProgress.push(existing.id);
        return;
      }
      current = await rescopeUpgradeIn(tx, existing.id, existing.version, { services: serviceNames, fromVersions, changeClass: assessment.changeClass, members }, intakeActor, 'findings changed', context.now);
      outcome.rescoped.push(existing.id);
    }
    const previous = await latestAssessment(tx, existing.id);
    if (!previous || differs(previous.assessment, assessment)) {
      await record(current);
      outcome.rescored.push(existing.id);
    } else if (sameScope) {
      outcome.unchanged.push(existing.id);
    }
  });
}

function sameList(a: string[], b: string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Same packages with the same targets; with `withVersions`, also the same versions in use. */
function sameMembers(a: UpgradeMember[], b: UpgradeMember[], withVersions: boolean): boolean {
  const key = (m: UpgradeMember) => `${m.purl} ${m.targetVersion}${withVersions ? ` ${[...new Set(m.fromVersions)].sort().join(',')}` : ''}`;
  return sameList(a.map(key), b.map(key));
}

function differs(a: RiskAssessment, b: RiskAssessment): boolean {
  return a.score !== b.score || a.decision !== b.decision || a.changeClass !== b.changeClass;
}
