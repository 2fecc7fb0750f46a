import { Cron } from 'croner';
import { windowCronOptions, type ServiceSelector, type WindowsSection } from '../../config/sections/windows.js';
import { parseDuration } from '../../core/duration.js';
import { UfError } from '../../core/errors.js';
import { formatInZone, zonedToInstant } from './zone.js';
import type { ServiceFacts, WindowHit, WindowVerdict } from './types.js';

/**
 * The `windows:` section compiled for questions in time: which windows are in force for a service
 * at an instant, whether it may change then, and when that next changes.
 *
 * A window opens at each time its cron schedule fires in its zone (croner, with Vixie cron's DST
 * rules: a fixed time skipped when clocks go forward fires at the end of the gap, a fixed time
 * repeated when they go back fires once, at its first occurrence) and stays open for its duration
 * of elapsed time. The verdict can only change where a window opens or ends, or a blackout starts
 * or ends: the search for the next opening or closing walks those instants.
 */

interface CompiledWindow {
  kind: 'allow' | 'deny';
  name: string;
  cron: Cron;
  expression: string;
  durationMs: number;
  timeZone: string;
  select: ServiceSelector;
  reason?: string;
}

interface CompiledBlackout {
  name: string;
  from: Date;
  to: Date;
  timeZone: string;
  select: ServiceSelector;
  reason?: string;
}

export interface WindowPolicy {
  defaultAllow: boolean;
  allow: CompiledWindow[];
  deny: CompiledWindow[];
  blackouts: CompiledBlackout[];
}

/** How far ahead a next opening or closing is looked for. */
const horizonMs = 400 * 86_400_000;
const maxSteps = 5000;

export function compileWindows(section: WindowsSection): WindowPolicy {
  const compile = (kind: 'allow' | 'deny') => (w: WindowsSection['allow'][number]): CompiledWindow => ({
    kind,
    name: w.name,
    cron: new Cron(w.cron, { ...windowCronOptions, timezone: w.timeZone, paused: true }),
    expression: w.cron,
    durationMs: parseDuration(w.duration)!,
    timeZone: w.timeZone,
    select: w.select,
    ...(w.reason ? { reason: w.reason } : {}),
  });
  const blackouts = section.blackouts.map((b, index): CompiledBlackout => {
    const from = zonedToInstant(b.from.replace(' ', 'T'), b.timeZone);
    const to = zonedToInstant(b.to.replace(' ', 'T'), b.timeZone);
    const path = `windows.blackouts[${index}]`;
    if (!from) throw new UfError('config_invalid', `blackout ${b.name}: from '${b.from}' is not a date and time`, { path: `${path}.from` });
    if (!to) throw new UfError('config_invalid', `blackout ${b.name}: to '${b.to}' is not a date and time`, { path: `${path}.to` });
    if (to <= from) throw new UfError('config_invalid', `blackout ${b.name}: 'to' (${b.to}) must be after 'from' (${b.from})`, { path: `${path}.to` });
    return { name: b.name, from, to, timeZone: b.timeZone, select: b.select, ...(b.reason ? { reason: b.reason } : {}) };
  });
  return { defaultAllow: section.defaultAllow, allow: section.allow.map(compile('allow')), deny: section.deny.map(compile('deny')), blackouts };
}

/** Whether a selector picks the service: any of its names, tiers or tags; an empty selector picks all. */
export function selects(select: ServiceSelector, service: ServiceFacts): boolean {
  if (select.services.length === 0 && select.tiers.length === 0 && select.tags.length === 0) return true;
  return select.services.includes(service.name) || (service.tier !== undefined && select.tiers.includes(service.tier)) || select.tags.some((t) => service.tags.includes(t));
}

/** The occurrence of a window in force at `at`: the last start at or before it, if it has not ended. */
function occurrenceAt(w: CompiledWindow, at: number): { from: number; until: number } | undefined {
  const last = w.cron.previousRuns(1, new Date(at + 1))[0];
  if (!last || last.getTime() > at) return undefined;
  const until = last.getTime() + w.durationMs;
  return until > at ? { from: last.getTime(), until } : undefined;
}

/** The windows and blackouts selecting the service that are in force at `at`. */
export function hitsAt(policy: WindowPolicy, service: ServiceFacts, at: number): WindowHit[] {
  const hits: WindowHit[] = [];
  for (const w of [...policy.deny, ...policy.allow]) {
    if (!selects(w.select, service)) continue;
    const occurrence = occurrenceAt(w, at);
    if (occurrence) hits.push({ kind: w.kind, name: w.name, from: iso(occurrence.from), until: iso(occurrence.until), ...(w.reason ? { reason: w.reason } : {}) });
  }
  for (const b of policy.blackouts) {
    if (selects(b.select, service) && b.from.getTime() <= at && at < b.to.getTime()) hits.push({ kind: 'blackout', name: b.name, from: iso(b.from), until: iso(b.to), ...(b.reason ? { reason: b.reason } : {}) });
  }
  return hits;
}

/** Whether some allow window selects the service at all (else `defaultAllow` decides). */
export function hasAllowWindow(policy: WindowPolicy, service: ServiceFacts): boolean {
  return policy.allow.some((w) => selects(w.select, service));
}

/** Deny and blackouts beat allow; without any allow window for the service, `defaultAllow` decides. */
export function isOpen(policy: WindowPolicy, service: ServiceFacts, at: number): boolean {
  const hits = hitsAt(policy, service, at);
  if (hits.some((h) => h.kind !== 'allow')) return false;
  if (hits.some((h) => h.kind === 'allow')) return true;
  return !hasAllowWindow(policy, service) && policy.defaultAllow;
}

/** The first instant after `at` where a window selecting the service opens or ends, or a blackout starts or ends. */
function nextEdge(policy: WindowPolicy, service: ServiceFacts, at: number): number | undefined {
  let best = Infinity;
  for (const w of [...policy.allow, ...policy.deny]) {
    if (!selects(w.select, service)) continue;
    const next = w.cron.nextRun(new Date(at))?.getTime();
    if (next !== undefined && next > at) best = Math.min(best, next);
    const occurrence = occurrenceAt(w, at);
    if (occurrence) best = Math.min(best, occurrence.until);
  }
  for (const b of policy.blackouts) {
    if (!selects(b.select, service)) continue;
    for (const edge of [b.from.getTime(), b.to.getTime()]) if (edge > at) best = Math.min(best, edge);
  }
  return best === Infinity ? undefined : best;
}

/** The first instant at or after `at` where the service's openness is `wanted`; null past the horizon. */
function nextWith(policy: WindowPolicy, service: ServiceFacts, at: number, wanted: boolean): number | null {
  let t = at;
  for (let step = 0; step < maxSteps && t <= at + horizonMs; step += 1) {
    if (isOpen(policy, service, t) === wanted) return t;
    const edge = nextEdge(policy, service, t);
    if (edge === undefined) return null;
    t = edge;
  }
  return null;
}

export function nextOpening(policy: WindowPolicy, service: ServiceFacts, at: number): number | null {
  return nextWith(policy, service, at, true);
}

export function nextClosing(policy: WindowPolicy, service: ServiceFacts, at: number): number | null {
  return nextWith(policy, service, at, false);
}

/** The verdict for one service at one instant, explained. */
export function windowVerdict(policy: WindowPolicy, service: ServiceFacts, at: Date): WindowVerdict {
  const t = at.getTime();
  const hits = hitsAt(policy, service, t);
  const open = isOpen(policy, service, t);
  const zoneOf = (name: string) => [...policy.allow, ...policy.deny, ...policy.blackouts].find((w) => w.name === name)?.timeZone ?? 'UTC';
  const when = (ms: number | null, zone: string) => (ms === null ? 'not within a year' : `at ${iso(ms)} (${formatInZone(new Date(ms), zone)})`);
  const base = { service: service.name, at: at.toISOString(), open, hits };
  if (open) {
    const closes = nextClosing(policy, service, t);
    const allow = hits.find((h) => h.kind === 'allow');
    const zone = allow ? zoneOf(allow.name) : 'UTC';
    const why = allow ? `allow window ${allow.name} is open` : `no allow window selects ${service.name} and windows.defaultAllow is true`;
    return { ...base, closesAt: closes === null ? null : iso(closes), reason: `${service.name} may change: ${why}; closes ${when(closes, zone)}` };
  }
  const opens = nextOpening(policy, service, t);
  const blocker = hits.find((h) => h.kind === 'blackout') ?? hits.find((h) => h.kind === 'deny');
  const zone = blocker ? zoneOf(blocker.name) : (policy.allow.find((w) => selects(w.select, service))?.timeZone ?? 'UTC');
  const why = blocker
    ? `${blocker.kind === 'blackout' ? 'blackout' : 'deny window'} ${blocker.name} is in force until ${blocker.until}${blocker.reason ? ` (${blocker.reason})` : ''}`
    : hasAllowWindow(policy, service)
      ? `no allow window selecting ${service.name} is open`
      : `no allow window selects ${service.name} and windows.defaultAllow is false`;
  return { ...base, nextOpenAt: opens === null ? null : iso(opens), reason: `${service.name} may not change: ${why}; opens next ${when(opens, zone)}` };
}

function iso(ms: number | Date): string {
  return new Date(ms).toISOString();
}
