import { isOpen, nextClosing, nextOpening, selects, type WindowPolicy } from './policy.js';
import type { Conflict, ScheduledChange, ServiceFacts } from './types.js';

/**
 * Conflict detection as change managers know it (ServiceNow's conflict checks): for each pair of
 * changes overlapping in time, one on the same service or on a service and something it depends
 * on; for each planned change, a part outside the service's allowed windows or inside a blackout.
 * Pure: the caller brings the changes, the service map's dependency question and the facts.
 */
export interface ConflictInput {
  changes: readonly ScheduledChange[];
  policy: WindowPolicy;
  facts(service: string): ServiceFacts;
  /** The services `service` depends on, directly or through others. */
  dependenciesOf(service: string): readonly string[];
}

export function detectConflicts(input: ConflictInput): Conflict[] {
  const conflicts: Conflict[] = [];
  // One spelling of each instant, so that text order is time order.
  const canonical = (text: string) => new Date(Date.parse(text)).toISOString();
  const changes = input.changes.map((c) => ({ ...c, start: canonical(c.start), end: canonical(c.end) })).sort((a, b) => a.start.localeCompare(b.start) || a.ref.localeCompare(b.ref));
  for (let i = 0; i < changes.length; i += 1) {
    for (let j = i + 1; j < changes.length; j += 1) conflicts.push(...pairConflicts(changes[i]!, changes[j]!, input));
  }
  for (const change of changes) if (change.source === 'change') conflicts.push(...windowConflicts(change, input));
  return conflicts;
}

function pairConflicts(a: ScheduledChange, b: ScheduledChange, input: ConflictInput): Conflict[] {
  // A rollout and its own upgrade's change record are one change.
  if (a.upgradeId === b.upgradeId) return [];
  const from = a.start > b.start ? a.start : b.start;
  const to = a.end < b.end ? a.end : b.end;
  if (from >= to) return [];
  const both = { changes: [a.ref, b.ref], from, to };
  const shared = a.services.filter((s) => b.services.includes(s)).sort();
  if (shared.length > 0) {
    return [{ kind: 'same-service', ...both, services: shared, text: `${a.ref} and ${b.ref} both change ${shared.join(', ')} between ${from} and ${to}` }];
  }
  const links: string[] = [];
  const services = new Set<string>();
  for (const [x, y] of [[a, b], [b, a]] as const) {
    for (const service of x.services) {
      const needs = input.dependenciesOf(service);
      for (const other of y.services) {
        if (!needs.includes(other)) continue;
        links.push(`${service} (${x.ref}) depends on ${other} (${y.ref})`);
        services.add(service).add(other);
      }
    }
  }
  if (links.length === 0) return [];
  return [{ kind: 'dependency', ...both, services: [...services].sort(), text: `${links.join('; ')}: both change between ${from} and ${to}` }];
}

function windowConflicts(change: ScheduledChange, input: ConflictInput): Conflict[] {
  const conflicts: Conflict[] = [];
  const start = Date.parse(change.start);
  const end = Date.parse(change.end);
  for (const service of change.services) {
    const facts = input.facts(service);
    for (const b of input.policy.blackouts) {
      if (!selects(b.select, facts) || b.from.getTime() >= end || b.to.getTime() <= start) continue;
      const from = new Date(Math.max(start, b.from.getTime())).toISOString();
      const to = new Date(Math.min(end, b.to.getTime())).toISOString();
      conflicts.push({ kind: 'inside-blackout', changes: [change.ref], services: [service], from, to, window: b.name, text: `${change.ref} changes ${service} during blackout ${b.name} (${from} to ${to})${b.reason ? `: ${b.reason}` : ''}` });
    }
    // Allow and deny windows only: a blackout is reported above, on its own.
    const windows = { ...input.policy, blackouts: [] };
    if (!isOpen(windows, facts, start)) {
      const opens = nextOpening(windows, facts, start);
      const to = new Date(opens === null ? end : Math.min(end, opens)).toISOString();
      const why = opens === null ? 'no allowed window opens within a year' : `the next allowed window opens at ${new Date(opens).toISOString()}`;
      conflicts.push({ kind: 'outside-window', changes: [change.ref], services: [service], from: change.start, to, text: `${change.ref} starts outside any allowed window for ${service} at ${change.start}; ${why}` });
      continue;
    }
    const closes = nextClosing(windows, facts, start);
    if (closes !== null && closes < end) {
      const from = new Date(closes).toISOString();
      conflicts.push({ kind: 'outside-window', changes: [change.ref], services: [service], from, to: change.end, text: `${change.ref} runs past the allowed window for ${service}: it closes at ${from}, the change is planned until ${change.end}` });
    }
  }
  return conflicts;
}
