import type { CatalogEntity } from '../../core/service-map.js';
import type { ServiceGraph } from '../../catalog/service-map/index.js';
import type { FixedAdvisory, RiskInput } from '../../risk/index.js';
import type { UpgradeCandidate } from '../matching/candidates.js';
import type { Advisory } from '../osv/types.js';
import { changesBetween, summarize, uncoveredBecause, type ReleaseNotes, type ReleaseNotesSummary } from '../release-notes/index.js';
import { cycleOf, daysToEol, type EolProduct } from '../sources/eol/index.js';
import type { VersionScheme } from '../versions/types.js';

export interface Enrichment {
  kev: Map<string, { dateAdded: string; knownRansomware: boolean }>;
  epss: Map<string, { score: number; percentile: number }>;
}

/** The advisory as risk scoring sees it: its vectors, GHSA label, and KEV/EPSS through its aliases. */
export function fixedAdvisory(advisory: Advisory, aliases: string[], enrichment: Enrichment): FixedAdvisory {
  const ids = [advisory.id, ...aliases];
  const vectors = [
    ...advisory.severity,
    ...advisory.affected.flatMap((a) => a.severity),
  ].filter((s) => s.type === 'CVSS_V3' || s.type === 'CVSS_V4').map((s) => s.score);
  const kev = ids.map((id) => enrichment.kev.get(id)).find((k) => k !== undefined);
  const epss = ids
    .map((id) => enrichment.epss.get(id))
    .filter((e) => e !== undefined)
    .sort((a, b) => b.score - a.score)[0];
  return {
    id: advisory.id,
    aliases,
    cvssVectors: [...new Set(vectors)],
    ...(advisory.databaseSeverity !== undefined ? { severityLabel: advisory.databaseSeverity } : {}),
    ...(epss ? { epss } : {}),
    ...(kev ? { kev } : {}),
  };
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
        majorVersionChange: majorOf(highest) !== majorOf(target),
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

function majorOf(version: string): string {
  return /^v?(\d+)/.exec(version)?.[1] ?? version;
}
