import type { InventoryComponent } from '../../core/inventory.js';
import type { Advisory } from '../osv/types.js';
import { versionSchemeFor } from '../../ecosystems/index.js';
import { packageVersionKey } from '../../ecosystems/names.js';
import { fixedVersions, isAffected, type RangeSchemes } from './affected.js';
import type { AdvisoryIndex } from './index-advisories.js';

export interface Match<C extends InventoryComponent = InventoryComponent> {
  advisory: Advisory;
  component: C;
  /** Versions that fix this advisory for this package, from its `fixed` events. */
  fixedIn: string[];
  /** `last_affected` bounds: the advisory names no fix, only the last affected version. */
  lastAffected: string[];
}

export interface MatchReport<C extends InventoryComponent = InventoryComponent> {
  matches: Match<C>[];
  /** Components skipped because the factory has no version scheme for their ecosystem yet. */
  unsupported: { ecosystem: string; components: number }[];
  /**
   * Distinct package versions that advisories name the package of, but whose version the scheme
   * cannot read: only exact `versions` entries can match them, ranges cannot. Reported, not silent.
   */
  unreadable: { ecosystem: string; name: string; version: string; advisories: number }[];
}

/**
 * Matches components against the index. Each distinct (package, version) is evaluated once per
 * advisory, however many services carry it.
 */
export function matchComponents<C extends InventoryComponent>(index: AdvisoryIndex, components: Iterable<C>): MatchReport<C> {
  const matches: Match<C>[] = [];
  const unsupported = new Map<string, number>();
  const unreadable = new Map<string, MatchReport['unreadable'][number]>();
  const verdicts = new Map<string, { advisory: Advisory; fixedIn: string[]; lastAffected: string[] }[]>();
  const semver = versionSchemeFor('npm')!;
  for (const component of components) {
    const candidates = index.lookup(component.ecosystem, component.name);
    if (candidates.length === 0) continue;
    const scheme = versionSchemeFor(component.ecosystem);
    if (!scheme) {
      unsupported.set(component.ecosystem, (unsupported.get(component.ecosystem) ?? 0) + 1);
      continue;
    }
    const key = packageVersionKey(component.ecosystem, component.name, component.version);
    let hits = verdicts.get(key);
    if (!hits) {
      hits = evaluate(component.version, candidates, { ecosystem: scheme, semver });
      verdicts.set(key, hits);
      if (!scheme.isValid(component.version)) {
        unreadable.set(key, { ecosystem: component.ecosystem, name: component.name, version: component.version, advisories: new Set(candidates.map((c) => c.advisory.id)).size });
      }
    }
    for (const hit of hits) matches.push({ ...hit, component });
  }
  return { matches, unsupported: [...unsupported].map(([ecosystem, count]) => ({ ecosystem, components: count })), unreadable: [...unreadable.values()] };
}

function evaluate(version: string, candidates: ReturnType<AdvisoryIndex['lookup']>, schemes: RangeSchemes) {
  const byAdvisory = new Map<string, { advisory: Advisory; fixedIn: string[]; lastAffected: string[] }>();
  for (const { advisory, affected } of candidates) {
    if (!safeAffected(version, affected, schemes)) continue;
    const { fixed, lastAffected } = fixedVersions(affected);
    const hit = byAdvisory.get(advisory.id) ?? { advisory, fixedIn: [], lastAffected: [] };
    hit.fixedIn.push(...fixed.filter((f) => !hit.fixedIn.includes(f)));
    hit.lastAffected.push(...lastAffected.filter((f) => !hit.lastAffected.includes(f)));
    byAdvisory.set(advisory.id, hit);
  }
  return [...byAdvisory.values()];
}

/** A version the scheme cannot read is reported unaffected rather than crashing the batch. */
function safeAffected(version: string, affected: Parameters<typeof isAffected>[1], schemes: RangeSchemes): boolean {
  try {
    return isAffected(version, affected, schemes);
  } catch {
    return false;
  }
}

