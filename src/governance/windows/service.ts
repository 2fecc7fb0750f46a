import { buildServiceGraph } from '../../catalog/service-map/graph.js';
import type { WindowsSection } from '../../config/sections/windows.js';
import { UfError } from '../../core/errors.js';
import type { CatalogEntity } from '../../core/service-map.js';
import { finalPhases } from '../../rollout/engine/types.js';
import { listRollouts } from '../../rollout/store/rollouts.js';
import type { Db } from '../../store/db.js';
import { findService, listEntities } from '../../store/repos/catalog.js';
import { listChanges } from '../changes/store.js';
import { detectConflicts } from './conflicts.js';
import { compileWindows, windowVerdict, type WindowPolicy } from './policy.js';
import type { Conflict, ScheduledChange, ServiceFacts, WindowVerdict } from './types.js';

/**
 * The windows use cases over the store: a service's verdict (what the rollout engine asks before
 * each promotion), the configured windows with their next openings, and the conflicts among the
 * change records and running rollouts of a period.
 */
export interface WindowsDeps {
  db: Db;
  section: WindowsSection;
}

const compiled = new WeakMap<WindowsSection, WindowPolicy>();

export function policyOf(section: WindowsSection): WindowPolicy {
  let policy = compiled.get(section);
  if (!policy) {
    policy = compileWindows(section);
    compiled.set(section, policy);
  }
  return policy;
}

/**
 * What a window selects a service by, from the catalog: its name, its tier, and as tags its
 * Backstage metadata.tags, its critical paths, its spec.type, lifecycle and system name.
 */
export function factsOf(name: string, entity: CatalogEntity | undefined): ServiceFacts {
  if (!entity) return { name, tags: [] };
  const tags = [...(entity.tags ?? []), ...entity.factory.criticalPaths, entity.type, entity.lifecycle, entity.system?.replace(/^.*\//, '')].filter((t): t is string => typeof t === 'string' && t.length > 0);
  return { name: entity.name, ...(entity.factory.tier ? { tier: entity.factory.tier } : {}), tags: [...new Set(tags)] };
}

/** A service's verdict at `at`; a service the catalog does not know is refused (not_found). */
export async function checkService(deps: WindowsDeps, service: string, at: Date): Promise<WindowVerdict & { tier: string | null; tags: string[] }> {
  const entity = await findService(deps.db, service);
  if (!entity) throw new UfError('not_found', `no service ${service} in the catalog (uf catalog import adds the service map)`, { record: service });
  const facts = factsOf(service, entity);
  return { ...windowVerdict(policyOf(deps.section), facts, at), tier: facts.tier ?? null, tags: [...facts.tags] };
}

/**
 * The rollout engine's question: may this service be promoted now? A service missing from the
 * catalog is judged by its name alone (windows selecting by name still apply).
 */
export function windowChecker(deps: WindowsDeps): (service: string, at: Date) => Promise<WindowVerdict> {
  return async (service, at) => windowVerdict(policyOf(deps.section), factsOf(service, await findService(deps.db, service)), at);
}

export interface WindowListing {
  defaultAllow: boolean;
  windows: { kind: 'allow' | 'deny'; name: string; cron: string; duration: string; timeZone: string; select: WindowsSection['allow'][number]['select']; reason: string | null; nextStarts: string[] }[];
  blackouts: { name: string; from: string; to: string; timeZone: string; select: WindowsSection['allow'][number]['select']; reason: string | null; active: boolean }[];
}

/** The configured windows, each with its next three starts after `at`, and the blackouts. */
export function listWindows(section: WindowsSection, at: Date): WindowListing {
  const policy = policyOf(section);
  const windows = [...policy.allow, ...policy.deny].map((w) => {
    const entry = [...section.allow, ...section.deny].find((e) => e.name === w.name)!;
    return { kind: w.kind, name: w.name, cron: w.expression, duration: entry.duration, timeZone: w.timeZone, select: w.select, reason: w.reason ?? null, nextStarts: w.cron.nextRuns(3, at).map((d) => d.toISOString()) };
  });
  const blackouts = policy.blackouts.map((b) => ({ name: b.name, from: b.from.toISOString(), to: b.to.toISOString(), timeZone: b.timeZone, select: b.select, reason: b.reason ?? null, active: b.from <= at && at < b.to }));
  return { defaultAllow: section.defaultAllow, windows, blackouts };
}

/**
 * Conflicts in [from, to): among the change records planned in it (planned start and end, the
 * services they change and their blast radius) and the rollouts running now, which hold their
 * service from their start until they end (`now` stands for that open end, or `to` if later).
 */
export async function findConflicts(deps: WindowsDeps, range: { from: Date; to: Date }, now: Date): Promise<{ from: string; to: string; changes: ScheduledChange[]; conflicts: Conflict[] }> {
  if (!(range.to > range.from)) throw new UfError('usage', `--to (${range.to.toISOString()}) must be after --from (${range.from.toISOString()})`, { path: 'to' });
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const records = await listChanges(deps.db, { from, to, limit: 5000 });
  const changes: ScheduledChange[] = records
    .filter((c) => c.status !== 'rejected' && c.status !== 'canceled')
    .map((c) => ({ ref: `change:${c.id}`, upgradeId: c.upgradeId, services: [...new Set([...c.fields.services, ...c.fields.affectedServices])].sort(), start: c.plannedStart, end: c.plannedEnd, source: 'change' }));
  const openEnd = new Date(Math.max(now.getTime(), range.to.getTime())).toISOString();
  for (const rollout of await listRollouts(deps.db, { limit: 5000 })) {
    if (finalPhases.includes(rollout.state.phase) || rollout.createdAt >= to) continue;
    changes.push({ ref: `rollout:${rollout.id}`, upgradeId: rollout.upgradeId, services: [rollout.service], start: rollout.createdAt, end: openEnd, source: 'rollout' });
  }
  const entities = await listEntities(deps.db);
  const graph = buildServiceGraph(entities);
  const byName = new Map(entities.filter((e) => e.kind === 'Component').map((e) => [e.name, e]));
  const dependencies = new Map<string, string[]>();
  const dependenciesOf = (service: string): string[] => {
    let found = dependencies.get(service);
    if (!found) {
      const entity = byName.get(service);
      found = entity ? graph.transitiveDependencies(entity.ref).map((hit) => graph.entity(hit.ref)?.name ?? hit.ref) : [];
      dependencies.set(service, found);
    }
    return found;
  };
  const conflicts = detectConflicts({ changes, policy: policyOf(deps.section), facts: (s) => factsOf(s, byName.get(s)), dependenciesOf });
  return { from, to, changes, conflicts };
}
