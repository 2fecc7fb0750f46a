import { versionSchemeFor } from '../versions/index.js';
import type { VersionScheme } from '../versions/types.js';
import { isAffected, type RangeSchemes } from './affected.js';
import type { AdvisoryIndex } from './index-advisories.js';
import type { Match } from './match.js';

/** What the factory proposes for one affected component: never more than one component. */
export interface UpgradeCandidate {
  ecosystem: string;
  name: string;
  /** Package URL without version: the upgrade's identity. */
  purl: string;
  currentVersions: string[];
  advisories: string[];
  /** Smallest version above every current one that no known advisory affects. */
  minimalFix?: string;
  /** Newest known version policy allows (same major unless allowed) that no known advisory affects. */
  newestAllowed?: string;
  /** Advisories for which no fixed version is known (only `last_affected`, or no fix yet). */
  unfixed: string[];
  explanation: string;
  /** For an upgrade of several packages released together: each member's own candidate. */
  members?: UpgradeCandidate[];
}

export interface CandidatePolicy {
  allowMajor: boolean;
}

/** `known` lists versions the factory knows exist (release notes, registry metadata); may be empty. */
export function planCandidates(
  matches: Match[],
  index: AdvisoryIndex,
  known: (ecosystem: string, name: string) => string[],
  policy: CandidatePolicy,
): UpgradeCandidate[] {
  const byPackage = new Map<string, Match[]>();
  for (const match of matches) {
    const key = `${match.component.ecosystem}\u0000${match.component.name}`;
    byPackage.set(key, [...(byPackage.get(key) ?? []), match]);
  }
  const candidates: UpgradeCandidate[] = [];
  for (const group of byPackage.values()) {
    const first = group[0]!;
    const scheme = versionSchemeFor(first.component.ecosystem);
    if (!scheme) continue;
    candidates.push(planOne(group, index, scheme, known(first.component.ecosystem, first.component.name), policy));
  }
  return candidates.sort((a, b) => a.ecosystem.localeCompare(b.ecosystem) || a.name.localeCompare(b.name));
}

function planOne(group: Match[], index: AdvisoryIndex, scheme: VersionScheme, known: string[], policy: CandidatePolicy): UpgradeCandidate {
  const { ecosystem, name, purl } = group[0]!.component;
  const sort = (versions: Iterable<string>) => [...new Set(versions)].filter((v) => scheme.isValid(v)).sort((a, b) => scheme.compare(a, b));
  const current = sort(group.map((m) => m.component.version));
  const highest = current.at(-1)!;
  const advisoryIds = [...new Set(group.map((m) => m.advisory.id))].sort();
  const entries = index.lookup(ecosystem, name).filter((e) => advisoryIds.includes(e.advisory.id));
  const schemes: RangeSchemes = { ecosystem: scheme, semver: versionSchemeFor('npm')! };
  const clean = (v: string) => entries.every((e) => !safe(() => isAffected(v, e.affected, schemes)));
  const above = (v: string) => scheme.compare(v, highest) > 0;

  const fixes = sort(group.flatMap((m) => m.fixedIn));
  const minimalFix = sort([...fixes, ...known]).find((v) => above(v) && clean(v));
  const major = majorOf(highest);
  const newestAllowed = sort(known)
    .filter((v) => above(v) && !isPrerelease(v) && (policy.allowMajor || majorOf(v) === major) && clean(v))
    .at(-1);
  const unfixed = advisoryIds.filter((id) => {
    const fixedHere = group.filter((m) => m.advisory.id === id).flatMap((m) => m.fixedIn);
    return fixedHere.length === 0 && minimalFix === undefined;
  });

  const explanation = minimalFix
    ? `${advisoryIds.length} advisories affect ${name} ${current.join(', ')}; ${minimalFix} is the smallest version above ${highest} that none of them affects` +
      (newestAllowed && newestAllowed !== minimalFix ? `; ${newestAllowed} is the newest known version policy allows${policy.allowMajor ? '' : ' within major ' + major}` : '')
    : `${advisoryIds.length} advisories affect ${name} ${current.join(', ')}; no known version above ${highest} is free of all of them`;
  return {
    ecosystem,
    name,
    purl: purl.replace(/@[^@/]*$/, ''),
    currentVersions: current,
    advisories: advisoryIds,
    ...(minimalFix !== undefined ? { minimalFix } : {}),
    ...(newestAllowed !== undefined ? { newestAllowed } : {}),
    unfixed,
    explanation,
  };
}

/**
 * Whether `version` would fix the candidate: above every version in use and affected by none of its
 * advisories. Used to align the members of a release group on one version another member needs.
 */
export function fixesCandidate(candidate: UpgradeCandidate, version: string, index: AdvisoryIndex): boolean {
  const scheme = versionSchemeFor(candidate.ecosystem);
  if (!scheme || !scheme.isValid(version)) return false;
  const highest = candidate.currentVersions.at(-1);
  if (highest === undefined || scheme.compare(version, highest) <= 0) return false;
  const schemes: RangeSchemes = { ecosystem: scheme, semver: versionSchemeFor('npm')! };
  const entries = index.lookup(candidate.ecosystem, candidate.name).filter((e) => candidate.advisories.includes(e.advisory.id));
  return entries.every((e) => !safe(() => isAffected(version, e.affected, schemes)));
}

function safe(run: () => boolean): boolean {
  try {
    return run();
  } catch {
    return true;
  }
}

function majorOf(version: string): string {
  return /^v?(\d+)/.exec(version)?.[1] ?? version;
}

function isPrerelease(version: string): boolean {
  return /[-.]?(alpha|beta|rc|dev|pre|preview|snapshot|canary|next|milestone|m\d)/i.test(version.replace(/^v?\d+(\.\d+)*/, '')) || /^\d+(\.\d+)*-/.test(version);
}
