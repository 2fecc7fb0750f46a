import { basename } from 'node:path';
import { buildServiceGraph } from '../../catalog/service-map/index.js';
import type { EconomicsPolicy, OutageSeverity } from '../../config/sections/economics.js';
import type { RiskPolicy } from '../../config/sections/risk-policy.js';
import type { CatalogEntity } from '../../core/service-map.js';
import type { Upgrade } from '../../core/upgrade/index.js';
import type { StoredAssessment } from '../../intake/store/risk.js';
import { cvssSeverity } from '../../risk/cvss/severity.js';
import { advisoryLabel, readAdvisory } from '../../risk/factors/advisory.js';
import { listEntities } from '../../store/repos/catalog.js';
import type { Db } from '../../store/db.js';
import { countEpssScores, epssDates } from '../store.js';
import type { AdvisoryInput, BlastRadiusService, EconomicsInput } from './model.js';

export interface EconomicsContext {
  db: Db;
  economics: EconomicsPolicy;
  risk: RiskPolicy;
  /** Names the configuration in sources, e.g. `factory.yaml`. */
  policySource: string;
}

/** The model's inputs for one upgrade, each with its source, from its latest risk assessment and the catalog. */
export async function economicsInput(context: EconomicsContext, upgrade: Upgrade, stored: StoredAssessment | undefined): Promise<EconomicsInput> {
  const advisories = stored ? await advisoryInputs(context, stored) : [];
  const services = await blastRadius(context.db, upgrade.services);
  return { advisories, services, policy: context.economics, policySource: context.policySource };
}

async function advisoryInputs(context: EconomicsContext, stored: StoredAssessment): Promise<AdvisoryInput[]> {
  const fixed = stored.input.advisories;
  const names = fixed.flatMap((a) => [a.id, ...a.aliases]).filter((n) => n.startsWith('CVE-'));
  const dates = await epssDates(context.db, names);
  const epssLoaded = stored.input.sources?.epss ?? (await countEpssScores(context.db)) > 0;
  return fixed.map((advisory) => {
    const label = advisoryLabel(advisory);
    const evidence = readAdvisory(advisory, context.risk);
    const level = evidence.severityScore === undefined ? undefined : cvssSeverity(evidence.severityScore).toLowerCase();
    const severity = level === 'critical' || level === 'high' || level === 'medium' || level === 'low' ? (level as OutageSeverity) : undefined;
    const epss = advisory.epss;
    const cve = [advisory.id, ...advisory.aliases].find((n) => dates.get(n)?.score === epss?.score && dates.has(n));
    const date = cve ? dates.get(cve)?.date : undefined;
    const epssSource = date ? `FIRST EPSS ${date.slice(0, 10)}` : `FIRST EPSS as recorded in risk assessment ${stored.id} of ${stored.createdAt.slice(0, 10)}`;
    return {
      label,
      ...(severity ? { severity: { value: severity, source: evidence.severitySource } } : { severityMissing: evidence.severityScore === 0 ? 'its CVSS score is 0 (none)' : evidence.severitySource }),
      ...(epss ? { epss: { value: epss.score, source: epssSource } } : {}),
      ...(advisory.kev ? { kev: { value: advisory.kev.dateAdded, source: 'CISA KEV catalog' } } : {}),
      epssLoaded,
    };
  });
}

/**
 * The services an upgrade touches and every Component that depends on them, directly or not,
 * each once (an affected service is never also counted as a dependent).
 */
export async function blastRadius(db: Db, serviceNames: readonly string[]): Promise<BlastRadiusService[]> {
  const entities = await listEntities(db);
  const graph = buildServiceGraph(entities);
  const components = entities.filter((e) => e.kind === 'Component');
  const byName = new Map(components.map((e) => [e.name, e]));
  const result: BlastRadiusService[] = [];
  const seen = new Set<string>();
  const affected = serviceNames.map((name) => ({ name, entity: byName.get(name) ?? components.find((e) => e.ref === name.toLowerCase()) }));
  for (const { name, entity } of affected) {
    seen.add(entity?.ref ?? name);
    result.push(entity ? { ...costOf(entity), name, role: 'affected' } : { name, role: 'affected', notInCatalog: true });
  }
  for (const { name, entity } of affected) {
    if (!entity) continue;
    for (const hit of graph.transitiveDependents(entity.ref)) {
      if (seen.has(hit.ref) || hit.entity?.kind !== 'Component') continue;
      seen.add(hit.ref);
      result.push({ ...costOf(hit.entity), name: hit.entity.name, role: 'dependent', via: name });
    }
  }
  return result;
}

function costOf(entity: CatalogEntity): Pick<BlastRadiusService, 'costPerHour' | 'trafficShare'> {
  const where = `catalog annotation on service ${entity.name} (${basename(entity.source.file)})`;
  return {
    ...(entity.factory.downtimeCostPerHour !== undefined ? { costPerHour: { value: entity.factory.downtimeCostPerHour, source: where } } : {}),
    ...(entity.factory.trafficShare !== undefined ? { trafficShare: { value: entity.factory.trafficShare, source: where } } : {}),
  };
}
