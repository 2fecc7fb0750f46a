import { Cron } from 'croner';
import { z } from 'zod';
import { durationFormat, parseDuration } from '../../core/duration.js';
import type { Tier } from '../../core/service-map.js';

/**
 * `windows:` when changes may reach production. Allow windows open on a cron schedule (5 fields,
 * read in their time zone) for a duration; deny windows close on one; blackouts close between two
 * absolute times (a year-end freeze, an audit). Deny and blackouts beat allow. A service no allow
 * window selects may change at any time, unless `defaultAllow: false`.
 */

const tiers = ['critical', 'high', 'medium', 'low'] as const satisfies readonly Tier[];

/** The cron options a window's schedule is read with (also by governance/windows): Vixie-like DST handling. */
export const windowCronOptions = { mode: '5-part', fixedTimeRule: 'no-wildcard', domAndDow: false } as const;

const cronMessage = 'a 5-field cron expression such as "0 22 * * 1-5" (minute hour day-of-month month day-of-week)';
const cronText = z.string({ error: cronMessage }).refine(
  (expression) => {
    try {
      new Cron(expression, { ...windowCronOptions, paused: true }).stop();
      return true;
    } catch {
      return false;
    }
  },
  { message: cronMessage },
);

const zoneMessage = 'an IANA time zone such as Europe/Berlin, America/New_York or UTC';
const timeZone = z.string({ error: zoneMessage }).refine(
  (zone) => {
    if (zone.trim() === '' || zone !== zone.trim()) return false;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { error: (issue) => `unknown time zone '${String(issue.input)}': expected ${zoneMessage}` },
);

const durationText = z.string({ error: durationFormat }).refine((value) => (parseDuration(value) ?? 0) > 0, { message: `a positive duration: ${durationFormat}` });

const instantMessage = 'a date and time such as 2026-12-20T00:00 (in the blackout\'s timeZone) or an instant with its offset, 2026-12-19T23:00:00Z';
const localOrInstant = z.string({ error: instantMessage }).regex(/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i, instantMessage);

/** Which services a window or blackout applies to: any one match selects; an empty selector selects all. */
const selectorSchema = z
  .object({
    /** Catalog names of services. */
    services: z.array(z.string().min(1)).default([]),
    tiers: z.array(z.enum(tiers)).default([]),
    /** Matched against the service's critical paths, spec.type, lifecycle and system (see the README). */
    tags: z.array(z.string().min(1)).default([]),
  })
  .strict();

const windowSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a kebab-case name such as weekday-nights'),
    cron: cronText,
    duration: durationText,
    timeZone: timeZone.default('UTC'),
    select: selectorSchema.prefault({}),
    reason: z.string().min(1).optional(),
  })
  .strict();

const blackoutSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a kebab-case name such as year-end-freeze'),
    from: localOrInstant,
    to: localOrInstant,
    timeZone: timeZone.default('UTC'),
    select: selectorSchema.prefault({}),
    reason: z.string().min(1).optional(),
  })
  .strict();

export const windowsSchema = z
  .object({
    /** Whether a service no allow window selects may change at any time (deny windows and blackouts still apply). */
    defaultAllow: z.boolean().default(true),
    allow: z.array(windowSchema).default([]),
    deny: z.array(windowSchema).default([]),
    blackouts: z.array(blackoutSchema).default([]),
  })
  .strict()
  .superRefine((section, ctx) => {
    const seen = new Set<string>();
    for (const [list, entries] of [['allow', section.allow], ['deny', section.deny], ['blackouts', section.blackouts]] as const) {
      entries.forEach((entry, index) => {
        if (seen.has(entry.name)) ctx.addIssue({ code: 'custom', path: [list, index, 'name'], message: `window name '${entry.name}' is used twice: names must be unique across allow, deny and blackouts` });
        seen.add(entry.name);
      });
    }
    section.blackouts.forEach((b, index) => {
      // Same-zone local texts compare as text; the exact instants are checked when the windows are compiled.
      const plain = (t: string) => !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(t);
      if (plain(b.from) && plain(b.to) && b.to.replace(' ', 'T') <= b.from.replace(' ', 'T')) ctx.addIssue({ code: 'custom', path: ['blackouts', index, 'to'], message: `'to' (${b.to}) must be after 'from' (${b.from})` });
    });
  })
  .prefault({});

export type WindowsSection = z.infer<typeof windowsSchema>;
export type WindowEntry = WindowsSection['allow'][number];
export type BlackoutEntry = WindowsSection['blackouts'][number];
export type ServiceSelector = WindowEntry['select'];
