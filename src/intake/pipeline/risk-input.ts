import type { CatalogEntity } from '../../core/service-map.js';
import type { ServiceGraph } from '../../catalog/service-map/index.js';
import { parseCvss, type FixedAdvisory, type RiskInput } from '../../risk/index.js';
import type { UpgradeCandidate } from '../matching/candidates.js';
import type { Advisory } from '../osv/types.js';
import type { AliasGroup } from './aliases.js';
import { changesBetween, summarize, uncoveredBecause, type ReleaseNotes, type ReleaseNotesSummary } from '../release-notes/index.js';
import { cycleOf, daysToEol, type EolProduct } from '../sources/eol/index.js';
import { sameMajor, type VersionScheme } from '../../ecosystems/index.js';

export interface Enrichment {
  kev: Map<string, { dateAdded: string; knownRansomware: boolean }>;
  epss: Map<string, { score: number; percentile: number }>;
}

/** Aliases a fixed advisory carries into the assessment: enough to name it (its CVE first). */
export const maxAliasesPerAdvisory = 20;

/** Distinct CVSS vectors a fixed advisory carries (a real alias group has a handful). */
export const maxVectorsPerAdvisory = 20;

/**
 * A hostile group can carry thousands of distinct vectors, and every unscorable one would be named
 * in the explanation. Past the limit the highest-scoring vectors are kept (the score takes the
 * highest anyway); unscorable ones only fill what is left.
 */
function boundedVectors(vectors: string[]): string[] {
  if (vectors.length <= maxVectorsPerAdvisory) return vectors;
  const scored = vectors.map((vector) => ({ vector, score: baseScoreOf(vector) }));
  return scored
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1))
    .slice(0, maxVectorsPerAdvisory)
    .map((s) => s.vector);
}

function baseScoreOf(vector: string): number | undefined {
  try {
    return parseCvss(vector).baseScore;
  } catch {
    return undefined;
  }
}

const labelRank: Readonly<Record<string, number>> = { LOW: 1, MODERATE: 2, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

/**
 * The advisories an upgrade fixes as risk scoring sees them: one per vulnerability (alias group),
 * not one per record, so the GHSA and CVE records of one issue count once and a feed of thousands
 * of records naming one alias costs one entry. A group's entry takes every vector of its records,
 * its most severe GHSA label, the KEV listing and the highest EPSS score of any of its names.
 * Work is linear in the records and names given: each group's names are looked up once.
 */
export function fixedAdvisories(records: Iterable<Advisory>, groupOf: (id: string) => AliasGroup | undefined, enrichment: Enrichment): FixedAdvisory[] {
  const byVulnerability = new Map<string, { names: string[]; records: Advisory[] }>();
  for (const record of records) {
    const group = groupOf(record.id);
    const key = group?.canonical ?? record.id;
    const known = byVulnerability.get(key);
    if (known) known.records.push(record);
    else byVulnerability.set(key, { names: group ? [group.canonical, ...group.aliases] : [record.id, ...record.aliases.filter((a) => a !== record.id)], records: [record] });
  }
  return [...byVulnerability.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, { names, records: members }]) => {
      const vectors = new Set<string>();
      let severityLabel: string | undefined;
      for (const record of members) {
        for (const s of [...record.severity, ...record.affected.flatMap((a) => a.severity)]) {
          if (s.type === 'CVSS_V3' || s.type === 'CVSS_V4') vectors.add(s.score);
        }
        const label = record.databaseSeverity;
        if (label !== undefined && (severityLabel === undefined || (labelRank[label.toUpperCase()] ?? 0) > (labelRank[severityLabel.toUpperCase()] ?? 0))) severityLabel = label;
      }
      let kev: { dateAdded: string; knownRansomware: boolean } | undefined;
      let epss: { score: number; percentile: number } | undefined;
      for (const name of names) {
        kev ??= enrichment.kev.get(name);
        const e = enrichment.epss.get(name);
        if (e !== undefined && (epss === undefined || e.score > epss.score)) epss = e;
      }
      // CVE ids first: explanations name an advisory by its first CVE alias.
      const others = names.slice(1);
      const aliases = [...others.filter((n) => n.startsWith('CVE-')), ...others.filter((n) => !n.startsWith('CVE-'))].slice(0, maxAliasesPerAdvisory);
      return {
        id,
        aliases,
        cvssVectors: boundedVectors([...vectors]),
        ...(severityLabel !== undefined ? { severityLabel } : {}),
        ...(epss ? { epss } : {}),
        ...(kev ? { kev } : {}),
      };
    });
}

export interface ReversibilityContext {
  scheme: VersionScheme;
  releaseNotes?: ReleaseNotes;
  eol?: EolProduct;
  now: Date;
}

export function buildRiskInput(
  candidate: UpgradeCandidate,
  target: string,
  advisories: FixedAdvisory[],
  services: CatalogEntity[],
  graph: ServiceGraph,
  context: ReversibilityContext,
): { input: RiskInput; releaseNotes?: ReleaseNotesSummary } {
  const highest = candidate.currentVersions.at(-1)!;
  let breakingChanges = 0;
  let migrationsRequired = 0;
  let deprecations = 0;
  let notes: ReleaseNotesSummary | undefined;
  // Unknown until notes covering the whole range say otherwise: "no breaking change" needs evidence.
  let releaseNotesUnknown: string | undefined = `no release notes for ${highest} → ${target}`;
  if (context.releaseNotes) {
    const compare = (a: string, b: string) => context.scheme.compare(a, b);
    try {
      notes = summarize(changesBetween(context.releaseNotes, highest, target, compare));
      breakingChanges = notes.breaking.length;
      migrationsRequired = notes.migrations.length;
      deprecations = notes.deprecations.length;
      releaseNotesUnknown = uncoveredBecause(context.releaseNotes, highest, target, compare);
    } catch {
      // Versions the notes cannot place: scored as unknown, and the reason says so.
      releaseNotesUnknown = `the release notes cannot place ${highest} or ${target}`;
    }
  }
  const cycle = context.eol ? cycleOf(context.eol, highest) : undefined;
  const days = cycle ? daysToEol(cycle, context.now) : undefined;
  return {
    ...(notes ? { releaseNotes: notes } : {}),
    input: {
      advisories,
      services: services.map((s) => ({
        name: s.name,
        ...(s.factory.tier ? { tier: s.factory.tier } : {}),
        ...(s.factory.trafficShare !== undefined ? { trafficShare: s.factory.trafficShare } : {}),
        criticalPaths: s.factory.criticalPaths,
        transitiveDependents: graph.transitiveDependents(s.ref).filter((d) => d.entity?.kind === 'Component').length,
        ...(s.factory.internetExposed !== undefined ? { internetFacing: s.factory.internetExposed } : {}),
      })),
      reversibility: {
        majorVersionChange: !sameMajor(context.scheme, highest, target),
        breakingChanges,
        migrationsRequired,
        deprecations,
        ...(releaseNotesUnknown !== undefined ? { releaseNotesUnknown } : {}),
        // No rollback drill is recorded before the rollout stage exists: counted as never drilled.
      },
      ...(cycle && typeof cycle.eol === 'string' ? { endOfLife: { eolDate: cycle.eol, ...(days !== undefined ? { daysToEol: days } : {}) } } : {}),
      ...(cycle && cycle.eol === true ? { endOfLife: { daysToEol: -1 } } : {}),
    },
  };
}
