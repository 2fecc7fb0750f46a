import { UfError } from '../../core/errors.js';
import type { Db } from '../../store/db.js';
import { getAdvisories, listAdvisoryHeads } from '../store/advisories.js';
import { listAcceptances } from '../store/finding-acceptances.js';
import { listFindings, type StoredFinding } from '../store/findings.js';
import { listVexStatements } from '../store/vex-statements.js';
import { advisorySeverity, type ScanFinding } from '../scan/index.js';
import { severityLevelOf, severityLevels, type SeverityLevel } from '../../risk/cvss/index.js';
import { applyState, findingStates, type AppliedState, type FindingState } from './state.js';

export interface FindingView extends Omit<StoredFinding, 'status'>, AppliedState {
  /** What intake last saw: open (still matched) or retired. */
  matchStatus: StoredFinding['status'];
  advisory: { id: string; aliases: string[]; summary: string; withdrawn: boolean; severity: ScanFinding['severity'] };
}

export interface FindingFilter {
  service?: string;
  states?: FindingState[];
  /** An advisory id or any of its aliases. */
  advisory?: string;
  severities?: SeverityLevel[];
}

/** Findings with their state applied (acceptances, VEX), filtered. */
export async function viewFindings(db: Db, filter: FindingFilter, now: Date): Promise<FindingView[]> {
  const findings = await listFindings(db, filter.service !== undefined ? { service: filter.service } : {});
  const advisories = await advisoryIndex(db, findings.map((f) => f.advisoryId));
  const acceptances = await listAcceptances(db);
  const statements = await listVexStatements(db);
  const views: FindingView[] = [];
  for (const f of findings) {
    const ids = advisories.idsOf(f.advisoryId);
    if (filter.advisory !== undefined && !ids.has(filter.advisory)) continue;
    const applied = applyState({ finding: f, advisoryIds: ids }, acceptances, statements, now);
    if (filter.states && !filter.states.includes(applied.state)) continue;
    const advisory = advisories.describe(f.advisoryId);
    if (filter.severities && !filter.severities.includes(advisory.severity.level ?? 'none')) continue;
    const { status, ...rest } = f;
    views.push({ ...rest, matchStatus: status, ...applied, advisory });
  }
  return views;
}

export async function viewFinding(db: Db, id: string, now: Date): Promise<FindingView> {
  const found = (await viewFindings(db, {}, now)).find((f) => f.id === id);
  if (!found) throw new UfError('not_found', `no finding ${id}`, { record: id });
  return found;
}

export function parseStates(text: string | undefined): FindingState[] | undefined {
  if (text === undefined) return undefined;
  const states = text.split(',').map((s) => s.trim());
  for (const s of states) if (!(findingStates as readonly string[]).includes(s)) throw new UfError('usage', `--status takes ${findingStates.join(', ')} (comma-separated), not "${s}"`);
  return states as FindingState[];
}

export function parseSeverities(text: string | undefined): SeverityLevel[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((s) => {
    const level = severityLevelOf(s);
    if (level === undefined) throw new UfError('usage', `--severity takes ${severityLevels.join(', ')} (comma-separated), not "${s}"`);
    return level;
  });
}

/** The advisories table read once: every id's alias set, and a short description. */
export async function advisoryIndex(db: Db, described: readonly string[] = []): Promise<{ idsOf(id: string): Set<string>; describe(id: string): FindingView['advisory'] }> {
  // Bodies are large (a full OSV record each): read only those of the advisories to describe.
  const rows = await listAdvisoryHeads(db);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const bodies = await getAdvisories(db, [...new Set(described)]);
  const linked = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!linked.has(a)) linked.set(a, new Set([a]));
    linked.get(a)!.add(b);
  };
  for (const r of rows) {
    for (const alias of r.aliases) {
      link(r.id, alias);
      link(alias, r.id);
    }
  }
  const idsOf = (id: string): Set<string> => {
    // Two hops: a GHSA record, the CVE it names, and another record naming the same CVE.
    const result = new Set([id]);
    for (const a of linked.get(id) ?? []) for (const b of linked.get(a) ?? [a]) result.add(b);
    return result;
  };
  const cache = new Map<string, FindingView['advisory']>();
  const describe = (id: string): FindingView['advisory'] => {
    const cached = cache.get(id);
    if (cached) return cached;
    const row = byId.get(id);
    const advisory = bodies.get(id);
    const view = {
      id,
      aliases: [...idsOf(id)].filter((x) => x !== id).sort(),
      summary: row?.summary?.trim() ?? '',
      withdrawn: row?.withdrawn != null,
      severity: advisory ? advisorySeverity(advisory) : {},
    };
    cache.set(id, view);
    return view;
  };
  return { idsOf, describe };
}
