import { fixesCandidate, type UpgradeCandidate } from '../matching/candidates.js';
import type { AdvisoryIndex } from '../matching/index-advisories.js';
import { normalizePackageName, ecosystemBase, packageKey } from '../../ecosystems/names.js';
import { versionSchemeFor } from '../../ecosystems/index.js';
import type { ReleaseGroup } from '../../config/sections/release-groups.js';

/**
 * Well-known release trains: each releases all its packages under one version. Configured groups
 * (`intake.releaseGroups`) are checked first, so a project can override or extend these.
 */
export const builtInReleaseGroups: readonly ReleaseGroup[] = [
  { name: 'spring-framework', ecosystem: 'Maven', packages: [], prefixes: ['org.springframework:spring-'] },
  { name: 'spring-boot', ecosystem: 'Maven', packages: [], prefixes: ['org.springframework.boot:'] },
  { name: 'spring-security', ecosystem: 'Maven', packages: [], prefixes: ['org.springframework.security:'] },
  { name: 'jackson', ecosystem: 'Maven', packages: [], prefixes: ['com.fasterxml.jackson.core:'] },
  { name: 'log4j2', ecosystem: 'Maven', packages: [], prefixes: ['org.apache.logging.log4j:'] },
  { name: 'netty', ecosystem: 'Maven', packages: [], prefixes: ['io.netty:netty-'] },
  { name: 'babel', ecosystem: 'npm', packages: [], prefixes: ['@babel/'] },
  { name: 'angular', ecosystem: 'npm', packages: [], prefixes: ['@angular/'] },
  { name: 'aws-sdk-js-v3', ecosystem: 'npm', packages: [], prefixes: ['@aws-sdk/'] },
];

/** One package of a planned upgrade and the version it goes to. */
export interface PlannedMember {
  candidate: UpgradeCandidate;
  target: string;
  /** Release train (group name, or the Maven groupId / npm scope it shares with others); undefined alone. */
  train?: string;
}

/** One upgrade to plan: a single package, or several released together. */
export interface PlannedUpgrade {
  /** The upgrade's identity (its `purl` column): the package URL, or `release-group:<ecosystem>/<name>`. */
  key: string;
  ecosystem: string;
  name: string;
  members: PlannedMember[];
  /** One version, or `train version, …` when the members belong to several trains. */
  targetVersion: string;
  /** The candidate stored with the risk assessment (for a group: the members in `members`). */
  candidate: UpgradeCandidate;
}

export interface GroupingOptions {
  index: AdvisoryIndex;
  /** Versions known to exist (release notes); an aligned target must be among them when any are known. */
  known: (ecosystem: string, name: string) => string[];
  target: 'minimal-fix' | 'newest-allowed';
  configured: readonly ReleaseGroup[];
  /** The alias group an advisory belongs to, so a GHSA and its CVE record count as one advisory. */
  canonical: (advisoryId: string) => string;
}

/**
 * Groups candidates (each with a fix) into upgrades. Two packages of one ecosystem join when they
 * belong to one release train (configured or built-in group), or when one advisory names both and
 * they belong to one project (same train, same Maven groupId or one nested in the other such as
 * org.springframework and org.springframework.boot, same npm scope). Anything else stays alone:
 * unrelated packages are never bundled, even when one advisory names them both.
 */
export function groupCandidates(candidates: readonly UpgradeCandidate[], options: GroupingOptions): PlannedUpgrade[] {
  const groups = [...options.configured, ...builtInReleaseGroups];
  const trains = candidates.map((c) => trainOf(c, groups));
  const parent = candidates.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const join = (a: number, b: number) => {
    const [x, y] = [find(a), find(b)];
    if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
  };
  // Only packages of one train or of one advisory can join, so pairs are looked at within those
  // buckets (an estate has thousands of affected packages; all pairs would be millions).
  const trainBuckets = new Map<string, number[]>();
  const advisoryBuckets = new Map<string, number[]>();
  const add = (buckets: Map<string, number[]>, key: string, i: number) => buckets.set(key, [...(buckets.get(key) ?? []), i]);
  candidates.forEach((c, i) => {
    const base = ecosystemBase(c.ecosystem);
    if (trains[i]!.group !== undefined) add(trainBuckets, packageKey(base, trains[i]!.name), i);
    for (const id of new Set(c.advisories.map(options.canonical))) add(advisoryBuckets, `${base}\u0000${id}`, i);
  });
  for (const members of trainBuckets.values()) for (const i of members.slice(1)) join(members[0]!, i);
  for (const members of advisoryBuckets.values()) {
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const [i, j] = [members[x]!, members[y]!];
        if (sameProject(candidates[i]!, candidates[j]!, trains[i]!.name, trains[j]!.name)) join(i, j);
      }
    }
  }
  const units = new Map<number, number[]>();
  candidates.forEach((_, i) => units.set(find(i), [...(units.get(find(i)) ?? []), i]));
  return [...units.values()].map((indexes) => plan(indexes.map((i) => ({ candidate: candidates[i]!, train: trains[i]!.name })), options));
}

interface Train {
  name: string;
  /** Set when a configured or built-in group names it; otherwise `name` is the shared project key or the package. */
  group?: ReleaseGroup;
}

function trainOf(candidate: UpgradeCandidate, groups: readonly ReleaseGroup[]): Train {
  const base = ecosystemBase(candidate.ecosystem);
  const name = normalizePackageName(base, candidate.name);
  const group = groups.find(
    (g) =>
      ecosystemBase(g.ecosystem) === base &&
      (g.packages.some((p) => normalizePackageName(base, p) === name) || g.prefixes.some((p) => name.startsWith(normalizePackageName(base, p)))),
  );
  if (group) return { name: group.name, group };
  return { name: projectOf(candidate) ?? candidate.name };
}

/** Maven groupId or npm scope: the project a package belongs to when no group names it. */
function projectOf(candidate: UpgradeCandidate): string | undefined {
  const base = ecosystemBase(candidate.ecosystem);
  if (base === 'Maven') return candidate.name.includes(':') ? candidate.name.split(':')[0] : undefined;
  if (base === 'npm') return /^(@[^/]+)\//.exec(candidate.name)?.[1];
  return undefined;
}

function sameProject(a: UpgradeCandidate, b: UpgradeCandidate, trainA: string, trainB: string): boolean {
  if (trainA === trainB && trainA !== a.name) return true;
  const [pa, pb] = [projectOf(a), projectOf(b)];
  if (pa === undefined || pb === undefined) return false;
  if (pa === pb) return true;
  // A project's sub-projects: org.springframework.boot belongs to org.springframework.
  return ecosystemBase(a.ecosystem) === 'Maven' && (pa.startsWith(`${pb}.`) || pb.startsWith(`${pa}.`));
}

function plan(members: { candidate: UpgradeCandidate; train: string }[], options: GroupingOptions): PlannedUpgrade {
  const desired = (c: UpgradeCandidate) => (options.target === 'newest-allowed' ? (c.newestAllowed ?? c.minimalFix!) : c.minimalFix!);
  if (members.length === 1) {
    const { candidate } = members[0]!;
    const target = desired(candidate);
    return { key: candidate.purl, ecosystem: candidate.ecosystem, name: candidate.name, members: [{ candidate, target }], targetVersion: target, candidate };
  }
  const sorted = [...members].sort((a, b) => a.train.localeCompare(b.train) || a.candidate.name.localeCompare(b.candidate.name));
  const trainNames = [...new Set(sorted.map((m) => m.train))];
  const planned: PlannedMember[] = [];
  const notes: string[] = [];
  for (const train of trainNames) {
    const inTrain = sorted.filter((m) => m.train === train).map((m) => m.candidate);
    if (inTrain.length === 1) {
      planned.push({ candidate: inTrain[0]!, target: desired(inTrain[0]!), train });
      continue;
    }
    const aligned = alignTrain(inTrain, desired, options);
    if (aligned.version !== undefined) {
      for (const candidate of inTrain) planned.push({ candidate, target: aligned.version, train });
    } else {
      for (const candidate of inTrain) planned.push({ candidate, target: desired(candidate), train });
    }
    notes.push(aligned.note);
  }
  const first = sorted[0]!.candidate;
  const name = trainNames.join(' + ');
  const trainTargets = trainNames.map((train) => {
    const targets = [...new Set(planned.filter((m) => m.train === train).map((m) => m.target))];
    return { train, text: targets.join('/') };
  });
  const targetVersion = trainTargets.length === 1 ? trainTargets[0]!.text : trainTargets.map((t) => `${t.train} ${t.text}`).join(', ');
  const key = `release-group:${first.ecosystem}/${trainNames.join('+')}`;
  const advisories = [...new Set(planned.flatMap((m) => m.candidate.advisories))].sort();
  const currentVersions = [...new Set(planned.flatMap((m) => m.candidate.currentVersions))].sort();
  const trainsOf = (id: string) => new Set(planned.filter((m) => m.candidate.advisories.some((a) => options.canonical(a) === id)).map((m) => m.train));
  const linking = [...new Set(advisories.map(options.canonical))].filter((id) => trainsOf(id).size > 1);
  const linked = trainNames.length > 1 ? ` ${listOf(linking)} name${linking.length === 1 ? 's' : ''} packages of ${trainNames.join(' and ')}, so they ship together.` : '';
  const explanation =
    `${planned.length} packages released together move as one upgrade: ${planned.map((m) => `${m.candidate.name} ${m.candidate.currentVersions.join(', ')} -> ${m.target}`).join('; ')}. ` +
    `${notes.join(' ')}${linked}`.trim();
  const candidate: UpgradeCandidate = {
    ecosystem: first.ecosystem,
    name,
    purl: key,
    currentVersions,
    advisories,
    minimalFix: targetVersion,
    unfixed: [],
    explanation,
    members: planned.map((m) => m.candidate),
  };
  return { key, ecosystem: first.ecosystem, name, members: planned, targetVersion, candidate };
}

/**
 * One version for every member of a train: the smallest version at or above every member's own
 * target that fixes every member and, for members whose release notes list versions, that exists.
 */
function alignTrain(members: UpgradeCandidate[], desired: (c: UpgradeCandidate) => string, options: GroupingOptions): { version?: string; note: string } {
  const scheme = versionSchemeFor(members[0]!.ecosystem);
  const train = members.map((m) => m.name).join(', ');
  if (!scheme) return { note: `No version scheme to align ${train}.` };
  const floor = members.map(desired).filter((v) => scheme.isValid(v)).sort((a, b) => scheme.compare(a, b)).at(-1);
  if (floor === undefined) return { note: `No comparable target to align ${train}.` };
  const pool = new Set<string>([...members.map(desired), ...members.flatMap((m) => [m.minimalFix ?? '', ...options.known(m.ecosystem, m.name)])]);
  const versions = [...pool].filter((v) => v !== '' && scheme.isValid(v) && scheme.compare(v, floor) >= 0).sort((a, b) => scheme.compare(a, b));
  const exists = (m: UpgradeCandidate, v: string) => {
    const known = options.known(m.ecosystem, m.name);
    return known.length === 0 || known.includes(v);
  };
  const version = versions.find((v) => members.every((m) => fixesCandidate(m, v, options.index) && exists(m, v)));
  if (version === undefined) return { note: `No single version fixes all of ${train} per the data known, so each keeps its own target.` };
  const own = members.filter((m) => desired(m) !== version).map((m) => `${m.name} needs only ${desired(m)}`);
  return { version, note: `${train} share one version, ${version}${own.length > 0 ? ` (${own.join('; ')}, but its train moves together)` : ''}.` };
}

function listOf(ids: string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
}
