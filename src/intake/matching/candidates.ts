import { sameMajor, versionSchemeFor } from '../../ecosystems/index.js';
import { packageKey, packageLabel } from '../../ecosystems/names.js';
import { stripPurlVersion } from '../../ecosystems/purl.js';
import type { VersionScheme } from '../../ecosystems/types.js';
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

/**
 * Names an advisory by its vulnerability: intake passes its alias groups, so a GHSA record and the
 * CVE record naming it count once, and a feed of thousands of records sharing one alias is one
 * advisory in the candidate (its ids and explanation stay small). Identity by default.
 */
export type CanonicalId = (recordId: string) => string;

/** `known` lists versions the factory knows exist (release notes, registry metadata); may be empty. */
export function planCandidates(
  matches: Match[],
  index: AdvisoryIndex,
  known: (ecosystem: string, name: string) => string[],
  policy: CandidatePolicy,
  options: { canonical?: CanonicalId; onFailure?: (component: string, error: unknown) => void } = {},
): UpgradeCandidate[] {
  const canonical = options.canonical ?? ((id: string) => id);
  const byPackage = new Map<string, Match[]>();
  for (const match of matches) {
    const key = packageKey(match.component.ecosystem, match.component.name);
    const list = byPackage.get(key);
    if (list) list.push(match);
    else byPackage.set(key, [match]);
  }
  const candidates: UpgradeCandidate[] = [];
  for (const group of byPackage.values()) {
    const first = group[0]!;
    const scheme = versionSchemeFor(first.component.ecosystem);
    if (!scheme) continue;
    try {
      candidates.push(planOne(group, index, scheme, known(first.component.ecosystem, first.component.name), policy, canonical));
    } catch (error) {
      // One package that cannot be planned must not cost the others theirs; without a handler it still throws.
      if (!options.onFailure) throw error;
      options.onFailure(packageLabel(first.component.ecosystem, first.component.name), error);
    }
  }
  return candidates.sort((a, b) => a.ecosystem.localeCompare(b.ecosystem) || a.name.localeCompare(b.name));
}

function planOne(group: Match[], index: AdvisoryIndex, scheme: VersionScheme, known: string[], policy: CandidatePolicy, canonical: CanonicalId): UpgradeCandidate {
  const { ecosystem, name, purl } = group[0]!.component;
  const sort = (versions: Iterable<string>) => [...new Set(versions)].filter((v) => scheme.isValid(v)).sort((a, b) => scheme.compare(a, b));
  const current = sort(group.map((m) => m.component.version));
  const recordIds = new Set(group.map((m) => m.advisory.id));
  const advisoryIds = [...new Set([...recordIds].map(canonical))].sort();
  const highest = current.at(-1);
  if (highest === undefined) {
    // Matched only through an exact `versions` entry the scheme cannot order: nothing can be placed above it.
    const inUse = [...new Set(group.map((m) => m.component.version))].sort();
    const explanation = `${advisoryIds.length} advisories affect ${name} ${inUse.join(', ')}; ${scheme.ecosystem} cannot order that version, so no fix can be proposed above it`;
    return { ecosystem, name, purl: stripPurlVersion(purl), currentVersions: inUse, advisories: advisoryIds, unfixed: advisoryIds, explanation };
  }
  const entries = index.lookup(ecosystem, name).filter((e) => recordIds.has(e.advisory.id));
  const schemes: RangeSchemes = { ecosystem: scheme, semver: versionSchemeFor('npm')! };
  const clean = (v: string) => entries.every((e) => !safe(() => isAffected(v, e.affected, schemes)));
  const above = (v: string) => scheme.compare(v, highest) > 0;

  const fixes = sort(group.flatMap((m) => m.fixedIn));
  const minimalFix = sort([...fixes, ...known]).find((v) => above(v) && clean(v));
  const newestAllowed = sort(known)
    .filter((v) => above(v) && !scheme.isPrerelease(v) && (policy.allowMajor || sameMajor(scheme, highest, v)) && clean(v))
    .at(-1);
  // An advisory (alias group) with a fix in none of its records' matches, when no clean version is known.
  const fixedSomewhere = new Set(group.filter((m) => m.fixedIn.length > 0).map((m) => canonical(m.advisory.id)));
  const unfixed = minimalFix === undefined ? advisoryIds.filter((id) => !fixedSomewhere.has(id)) : [];

  const explanation = minimalFix
    ? `${advisoryIds.length} advisories affect ${name} ${current.join(', ')}; ${minimalFix} is the smallest version above ${highest} that none of them affects` +
      (newestAllowed && newestAllowed !== minimalFix ? `; ${newestAllowed} is the newest known version policy allows${policy.allowMajor ? '' : ` within major ${scheme.major(highest)}`}` : '')
    : `${advisoryIds.length} advisories affect ${name} ${current.join(', ')}; no known version above ${highest} is free of all of them`;
  return {
    ecosystem,
    name,
    purl: stripPurlVersion(purl),
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
