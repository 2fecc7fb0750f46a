import type { ServiceGraph } from '../../catalog/service-map/index.js';
import type { FactoryConfig } from '../../config/schema.js';
import type { CatalogEntity } from '../../core/service-map.js';
import { scoreRisk, type RiskAssessment } from '../../risk/index.js';
import type { Store } from '../../store/open.js';
import { latestAssessment, saveAssessment } from '../../store/repos/risk.js';
import { addEvidenceIn, applyTransitionIn, createUpgradeIn, findOpenUpgrade, newUpgradeId, rescopeUpgradeIn, type TxContext } from '../../store/repos/upgrades.js';
import type { Upgrade } from '../../core/upgrade/index.js';
import type { UpgradeCandidate } from '../matching/candidates.js';
import type { FixedAdvisory } from '../../risk/index.js';
import { versionSchemeFor } from '../versions/index.js';
import { componentKey, type ReadResult } from './read-sources.js';
import { buildRiskInput } from './risk-input.js';

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
}

/** Turns one candidate into one triaged upgrade: create, rescope, rescore or supersede. */
export async function planUpgrade(
  context: PlanContext,
  candidate: UpgradeCandidate,
  services: CatalogEntity[],
  advisories: FixedAdvisory[],
  outcome: PlanOutcome,
): Promise<void> {
  const target = context.config.intake.target === 'newest-allowed' ? (candidate.newestAllowed ?? candidate.minimalFix!) : candidate.minimalFix!;
  const scheme = versionSchemeFor(candidate.ecosystem)!;
  const key = componentKey(candidate.ecosystem, candidate.name);
  const { input, releaseNotes } = buildRiskInput(candidate, target, advisories, services, context.graph, {
    scheme,
    ...(context.read.releaseNotes.get(key) ? { releaseNotes: context.read.releaseNotes.get(key)! } : {}),
    ...(context.read.eol.get(key) ? { eol: context.read.eol.get(key)! } : {}),
    now: context.now,
  });
  const assessment = scoreRisk(input, context.config.risk);
  const serviceNames = services.map((s) => s.name);
  // Bounded: the reason is stored on the upgrade and in the operation log, and an upgrade may fix thousands of advisories.
  const reason = `${candidate.advisories.slice(0, 20).join(', ')}${candidate.advisories.length > 20 ? ` and ${candidate.advisories.length - 20} more` : ''}: ${candidate.explanation}`;
  const existing = await findOpenUpgrade(context.store.db, candidate.purl);

  await context.store.db.transaction().execute(async (trx) => {
    const tx: TxContext = { trx, dialect: context.store.dialect };
    const record = async (upgrade: Upgrade) => {
      const id = await saveAssessment(trx, upgrade.id, { assessment, input, candidate, ...(releaseNotes ? { releaseNotes } : {}) }, context.now);
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
        ecosystem: candidate.ecosystem,
        name: candidate.name,
        purl: candidate.purl,
        fromVersions: candidate.currentVersions,
        targetVersion: target,
        services: serviceNames,
        changeClass: assessment.changeClass,
        createdBy: intakeActor,
        reason,
      }, context.now);
      const scored = await record(created);
      await applyTransitionIn(tx, scored.id, scored.version, { event: 'triage', actor: intakeActor, reason: `risk scored ${assessment.score} (${assessment.decision})`, at: context.now.toISOString() }, context.config.policy);
      return created.id;
    };

    if (!existing) {
      outcome.created.push(await createTriaged());
      return;
    }
    const early = existing.state === 'intake' || existing.state === 'triaged' || existing.state === 'compat';
    if (existing.targetVersion !== target) {
      if (!early) {
        outcome.inProgress.push(existing.id);
        return;
      }
      // Supersede first: at most one upgrade per component may be open (a unique index enforces it).
      const newId = newUpgradeId();
      const marked = await addEvidenceIn(tx, existing.id, existing.version, {
        kind: 'superseded_by',
        outcome: 'pass',
        ref: `upgrade:${newId}`,
        summary: `target moved from ${existing.targetVersion} to ${target}`,
        recordedBy: intakeActor,
        recordedAt: context.now.toISOString(),
      });
      await applyTransitionIn(tx, existing.id, marked.version, { event: 'supersede', actor: intakeActor, reason: `superseded by ${newId}`, at: context.now.toISOString() }, context.config.policy);
      await createTriaged(newId);
      outcome.superseded.push(existing.id);
      outcome.created.push(newId);
      return;
    }
    let current = existing;
    const sameScope = sameList(existing.services, serviceNames) && sameList(existing.fromVersions, candidate.currentVersions) && existing.changeClass === assessment.changeClass;
    if (!sameScope) {
      if (existing.state !== 'intake' && existing.state !== 'triaged') {
        outcome.inProgress.push(existing.id);
        return;
      }
      current = await rescopeUpgradeIn(tx, existing.id, existing.version, { services: serviceNames, fromVersions: candidate.currentVersions, changeClass: assessment.changeClass }, intakeActor, 'findings changed', context.now);
      outcome.rescoped.push(existing.id);
    }
    const previous = await latestAssessment(trx, existing.id);
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

function differs(a: RiskAssessment, b: RiskAssessment): boolean {
  return a.score !== b.score || a.decision !== b.decision || a.changeClass !== b.changeClass;
}
