import type { InventoryComponent } from '../../core/inventory.js';
import type { Db } from '../../store/db.js';
import type { StoredComponent } from '../../store/repos/inventory.js';
import { componentsOfPackages, countComponentsOf, distinctPackageVersions } from '../store/inventory.js';
import type { AdvisoryIndex } from '../matching/index-advisories.js';
import { matchComponents, type Match, type MatchReport } from '../matching/match.js';
import { packageKey, packageVersionKey } from '../../ecosystems/names.js';

/**
 * Matches everything the store's inventories hold. Estates repeat the same package versions across
 * many services, so each distinct (ecosystem, name, version) is matched once, and only the rows of
 * affected ones are read back: on 1,000 services x 1,000 components this reads a few thousand rows
 * instead of a million.
 */
export async function matchStoredInventory(db: Db, index: AdvisoryIndex): Promise<MatchReport<StoredComponent> & { components: number }> {
  const { versions: distinct, components } = await distinctPackageVersions(db);
  const probes: InventoryComponent[] = distinct.map((d) => ({ purl: '', ecosystem: d.ecosystem, name: d.name, version: d.version, direct: true, scope: 'runtime' }));
  const probeReport = matchComponents(index, probes);
  const hits = new Map<string, Match[]>();
  for (const m of probeReport.matches) {
    const key = keyOf(m.component);
    const list = hits.get(key);
    if (list) list.push(m);
    else hits.set(key, [m]);
  }
  const names = [...new Set(probeReport.matches.map((m) => packageKey(m.component.ecosystem, m.component.name)))];
  const matches: Match<StoredComponent>[] = [];
  for (let i = 0; i < names.length; i += 200) {
    const batch = names.slice(i, i + 200).map((n) => n.split('\u0000') as [string, string]);
    for (const component of await componentsOfPackages(db, batch)) {
      for (const hit of hits.get(keyOf(component)) ?? []) matches.push({ advisory: hit.advisory, fixedIn: hit.fixedIn, lastAffected: hit.lastAffected, component });
    }
  }
  // Unsupported ecosystems are counted per row, as a user would count components.
  const unsupported = [];
  for (const u of probeReport.unsupported) {
    unsupported.push({ ecosystem: u.ecosystem, components: await countComponentsOf(db, u.ecosystem) });
  }
  return { matches, unsupported, unreadable: probeReport.unreadable, components };
}

function keyOf(c: { ecosystem: string; name: string; version: string }): string {
  return packageVersionKey(c.ecosystem, c.name, c.version);
}
