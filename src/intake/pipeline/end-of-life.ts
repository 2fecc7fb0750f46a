import type { Db } from '../../store/db.js';
import { listComponents } from '../../store/repos/inventory.js';
import { cycleOf, daysToEol } from '../sources/eol/index.js';
import type { ReadResult } from './read-sources.js';
import { packageLabel, splitPackageKey } from '../../ecosystems/names.js';

export interface EolFlag {
  component: string;
  version: string;
  cycle: string;
  /** End of support, ISO date; `ended` when the data says it ended without a date. */
  eol: string;
  daysLeft: number;
  status: 'past' | 'near';
  services: string[];
}

/**
 * Components whose version in use is past, or within `horizonDays` of, its end of support, with
 * the deadline, whether or not an advisory names them: end of life is a reason to upgrade by itself.
 */
export async function endOfLifeFlags(db: Db, read: ReadResult, horizonDays: number, now: Date): Promise<EolFlag[]> {
  const flags: EolFlag[] = [];
  for (const [key, product] of read.eol) {
    const [ecosystem, name] = splitPackageKey(key);
    const rows = (await listComponents(db, { name })).filter((c) => c.ecosystem === ecosystem);
    const byVersion = new Map<string, Set<string>>();
    for (const row of rows) byVersion.set(row.version, (byVersion.get(row.version) ?? new Set()).add(row.service));
    for (const [version, services] of byVersion) {
      const cycle = cycleOf(product, version);
      if (!cycle) continue;
      const days = daysToEol(cycle, now);
      if (days === undefined || days > horizonDays) continue;
      flags.push({
        component: packageLabel(ecosystem, name),
        version,
        cycle: cycle.cycle,
        eol: typeof cycle.eol === 'string' ? cycle.eol : 'ended',
        daysLeft: days,
        status: days < 0 ? 'past' : 'near',
        services: [...services].sort(),
      });
    }
  }
  return flags.sort((a, b) => a.daysLeft - b.daysLeft || a.component.localeCompare(b.component));
}
