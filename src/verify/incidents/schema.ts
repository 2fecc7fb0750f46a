import { z } from 'zod';
import { normaliseSeverity } from './severity.js';
import { utcInstant } from './instant.js';

const instant = z.string().transform((value, ctx) => {
  const utc = utcInstant(value);
  if (utc === undefined) ctx.addIssue({ code: 'custom', message: `"${value}" is not an ISO-8601 time with a zone, such as 2026-11-03T10:00:00Z` });
  return utc ?? '';
});

const severity = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const normalised = normaliseSeverity(String(value));
  if (normalised === undefined) ctx.addIssue({ code: 'custom', message: `"${value}" is not a severity: use sev1..sev5, P1..P5, 1..5 or critical/high/medium/low/info` });
  return normalised ?? 'sev3';
});

/**
 * One incident of an imported file (a JSON array element, or a CSV row by its header). Names are
 * camelCase; CSV headers may also be snake_case (`started_at`). `change` or `upgrade` names the
 * change it belongs to; so does a `uf-change:<id>` tag.
 */
export const incidentRecordSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    source: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case name such as statuspage').optional(),
    title: z.string().min(1),
    service: z.string().min(1).optional(),
    severity,
    startedAt: instant,
    resolvedAt: instant.optional(),
    change: z.string().min(1).optional(),
    upgrade: z.string().min(1).optional(),
    tags: z.array(z.string()).optional(),
  })
  .strict();

export type IncidentRecord = z.output<typeof incidentRecordSchema>;

/** A JSON file: an array of records, or `{ "incidents": [...] }`. */
export const incidentFileSchema = z.union([z.array(z.unknown()), z.object({ incidents: z.array(z.unknown()) }).transform((f) => f.incidents)]);
