import type { ServiceGraph } from '../../catalog/service-map/index.js';
import type { CatalogEntity } from '../../core/service-map.js';
import type { FixedAdvisory, RiskInput } from '../../risk/index.js';
import type { ReleaseNotesSummary } from '../release-notes/index.js';
import { versionSchemeFor } from '../../ecosystems/index.js';
import { packageKey } from '../../ecosystems/names.js';
import type { ReadResult } from './read-sources.js';
import type { PlannedUpgrade } from './release-groups.js';
import { buildRiskInput } from './risk-input.js';

/**
 * The risk input of one planned upgrade. For packages released together, each release train is
 * read once (one member's release notes speak for its whole train, as it is one release) and the
 * trains add up: a major version or unknown notes in any train count for the upgrade.
 */
export function plannedRiskInput(
  unit: PlannedUpgrade,
  advisories: FixedAdvisory[],
  services: CatalogEntity[],
  graph: ServiceGraph,
  context: { read: ReadResult; now: Date; sources: { kev: boolean; epss: boolean } },
): { input: RiskInput; releaseNotes?: ReleaseNotesSummary } {
  const built = unit.members.map((member) => {
    const key = packageKey(member.candidate.ecosystem, member.candidate.name);
    const result = buildRiskInput(member.candidate, member.target, advisories, services, graph, {
      scheme: versionSchemeFor(member.candidate.ecosystem)!,
      ...(context.read.releaseNotes.get(key) ? { releaseNotes: context.read.releaseNotes.get(key)! } : {}),
      ...(context.read.eol.get(key) ? { eol: context.read.eol.get(key)! } : {}),
      now: context.now,
    });
    return { member, ...result };
  });
  if (built.length === 1) {
    const only = built[0]!;
    return { input: { ...only.input, sources: context.sources }, ...(only.releaseNotes ? { releaseNotes: only.releaseNotes } : {}) };
  }
  const trains = new Map<string, (typeof built)[number]>();
  for (const item of built) {
    const train = item.member.train ?? item.member.candidate.name;
    const known = trains.get(train);
    if (!known || (known.input.reversibility.releaseNotesUnknown !== undefined && item.input.reversibility.releaseNotesUnknown === undefined)) trains.set(train, item);
  }
  const picked = [...trains.values()];
  const unknown = picked
    .filter((item) => item.input.reversibility.releaseNotesUnknown !== undefined)
    .map((item) => `${item.member.candidate.name}: ${item.input.reversibility.releaseNotesUnknown}`);
  const eol = built
    .map((item) => item.input.endOfLife)
    .filter((e) => e !== undefined)
    .sort((a, b) => (a.daysToEol ?? Infinity) - (b.daysToEol ?? Infinity))[0];
  const notes = picked.map((item) => item.releaseNotes).filter((n) => n !== undefined);
  const first = built[0]!.input;
  return {
    input: {
      advisories: first.advisories,
      services: first.services,
      reversibility: {
        majorVersionChange: built.some((item) => item.input.reversibility.majorVersionChange),
        breakingChanges: sum(picked.map((item) => item.input.reversibility.breakingChanges)),
        migrationsRequired: sum(picked.map((item) => item.input.reversibility.migrationsRequired)),
        deprecations: sum(picked.map((item) => item.input.reversibility.deprecations)),
        ...(unknown.length > 0 ? { releaseNotesUnknown: unknown.join('; ') } : {}),
      },
      ...(eol ? { endOfLife: eol } : {}),
      sources: context.sources,
    },
    ...(notes.length > 0 ? { releaseNotes: mergeNotes(notes) } : {}),
  };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function mergeNotes(all: ReleaseNotesSummary[]): ReleaseNotesSummary {
  const [first, ...rest] = all;
  return rest.reduce(
    (merged, next) => ({
      releases: merged.releases + next.releases,
      counts: Object.fromEntries(Object.entries(merged.counts).map(([kind, n]) => [kind, n + (next.counts[kind as keyof typeof next.counts] ?? 0)])) as ReleaseNotesSummary['counts'],
      hasBreaking: merged.hasBreaking || next.hasBreaking,
      hasMigration: merged.hasMigration || next.hasMigration,
      yanked: [...merged.yanked, ...next.yanked],
      breaking: [...merged.breaking, ...next.breaking],
      migrations: [...merged.migrations, ...next.migrations],
      deprecations: [...merged.deprecations, ...next.deprecations],
      securityFixes: [...merged.securityFixes, ...next.securityFixes],
      advisories: [...new Set([...merged.advisories, ...next.advisories])],
    }),
    first!,
  );
}
