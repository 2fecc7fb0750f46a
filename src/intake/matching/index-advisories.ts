import { normalizedPackageKey } from '../../ecosystems/names.js';
import type { Advisory, Affected } from '../osv/types.js';

/** Advisories by package, so that matching a component costs one map lookup, not a scan. */
export interface AdvisoryIndex {
  lookup(ecosystem: string, name: string): IndexedAffected[];
  readonly size: number;
}

export interface IndexedAffected {
  advisory: Advisory;
  affected: Affected;
}

/** Withdrawn advisories are left out: they must not raise findings. */
export function buildAdvisoryIndex(advisories: Iterable<Advisory>): AdvisoryIndex {
  const byPackage = new Map<string, IndexedAffected[]>();
  let size = 0;
  for (const advisory of advisories) {
    if (advisory.withdrawn !== undefined) continue;
    size++;
    for (const affected of advisory.affected) {
      if (!affected.package) continue;
      const key = normalizedPackageKey(affected.package.ecosystem, affected.package.name);
      const list = byPackage.get(key);
      if (list) list.push({ advisory, affected });
      else byPackage.set(key, [{ advisory, affected }]);
    }
  }
  return {
    size,
    lookup: (ecosystem, name) => byPackage.get(normalizedPackageKey(ecosystem, name)) ?? [],
  };
}
