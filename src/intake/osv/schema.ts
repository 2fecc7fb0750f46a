/**
 * The OSV record as the OSV JSON schema (draft 2020-12, ossf/osv-schema `validation/schema.json`)
 * describes it, rule for rule: a record this schema accepts is one that schema accepts, and the
 * reverse. Two deliberate readings: `format` keywords are annotations in draft 2020-12 and are not
 * asserted (real GHSA records carry PACKAGE references such as `golang.org/x/net` that are no URI),
 * except that timestamps must be RFC 3339 UTC (see `timestampSource`). Only the top level forbids
 * unknown fields, as upstream does; nested objects may carry more than is listed, and lose it here.
 */
import { z } from 'zod';
import {
  cvssV2Source,
  cvssV3Source,
  cvssV4Source,
  ecosystemSource,
  gitCommitSource,
  idPrefixSource,
  timestampSource,
  ubuntuSeverities,
} from './patterns.js';

/** JSON Schema `type: object`: any object, not an array, not null. */
const jsonObject = z.record(z.string(), z.unknown());

const timestamp = z
  .string()
  .regex(new RegExp(timestampSource), 'expected an RFC 3339 UTC timestamp such as 2024-01-31T12:00:00Z');

export const severityTypes = ['CVSS_V2', 'CVSS_V3', 'CVSS_V4', 'Ubuntu'] as const;

const scorePatterns: Record<(typeof severityTypes)[number], RegExp> = {
  CVSS_V2: new RegExp(cvssV2Source),
  CVSS_V3: new RegExp(cvssV3Source),
  CVSS_V4: new RegExp(cvssV4Source),
  Ubuntu: new RegExp(`^(${ubuntuSeverities.join('|')})$`),
};

const severityItem = z
  .object({ type: z.enum(severityTypes), score: z.string() })
  .superRefine((severity, ctx) => {
    if (scorePatterns[severity.type].test(severity.score)) return;
    ctx.addIssue({ code: 'custom', path: ['score'], message: `not a valid ${severity.type} score: "${severity.score}"` });
  });

const severityList = z.array(severityItem).nullable();

export const eventKinds = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

/**
 * Upstream's `oneOf`: exactly one alternative `{<kind>: string}` matches, so exactly one of the four
 * keys holds a string (other keys are not looked at, as in the schema).
 */
const rangeEvent = z.looseObject({}).superRefine((event, ctx) => {
  const kinds = eventKinds.filter((kind) => typeof event[kind] === 'string');
  if (kinds.length === 1) return;
  const message =
    kinds.length === 0
      ? 'an event needs one of introduced, fixed, last_affected or limit, with a string value'
      : `an event holds exactly one of introduced, fixed, last_affected or limit, not ${kinds.join(' and ')}`;
  ctx.addIssue({ code: 'custom', message });
});

const gitCommit = new RegExp(gitCommitSource);

const range = z
  .object({
    type: z.enum(['GIT', 'SEMVER', 'ECOSYSTEM']),
    repo: z.string().optional(),
    events: z.array(rangeEvent).min(1, 'a range needs at least one event'),
    database_specific: jsonObject.optional(),
  })
  .superRefine((value, ctx) => {
    if (!value.events.some((event) => 'introduced' in event)) {
      ctx.addIssue({ code: 'custom', path: ['events'], message: 'events must contain an introduced event' });
    }
    if (value.type === 'GIT') {
      if (value.repo === undefined) ctx.addIssue({ code: 'custom', path: ['repo'], message: 'a GIT range needs a repo' });
      value.events.forEach((event, index) => {
        const kind = eventKinds.find((k) => typeof event[k] === 'string');
        if (kind === undefined || gitCommit.test(event[kind] as string)) return;
        const message = 'a GIT range event must be a full-length commit hash or 0';
        ctx.addIssue({ code: 'custom', path: ['events', index, kind], message });
      });
    }
    const fixed = value.events.findIndex((event) => 'fixed' in event);
    if (fixed >= 0 && value.events.some((event) => 'last_affected' in event)) {
      const message = 'last_affected and fixed events are mutually exclusive in one range';
      ctx.addIssue({ code: 'custom', path: ['events', fixed], message });
    }
  });

const affectedPackage = z.object({
  ecosystem: z.string().regex(new RegExp(ecosystemSource), 'not an OSV ecosystem name'),
  name: z.string(),
  purl: z.string().optional(),
});

const affected = z.object({
  package: affectedPackage.optional(),
  severity: severityList.optional(),
  ranges: z.array(range).optional(),
  versions: z.array(z.string()).optional(),
  ecosystem_specific: jsonObject.optional(),
  database_specific: jsonObject.optional(),
});

export const referenceTypes = [
  'ADVISORY', 'ARTICLE', 'DETECTION', 'DISCUSSION', 'REPORT', 'FIX', 'INTRODUCED', 'GIT', 'PACKAGE', 'EVIDENCE', 'WEB',
] as const;

const reference = z.object({ type: z.enum(referenceTypes), url: z.string() });

const credit = z.object({
  name: z.string(),
  contact: z.array(z.string()).optional(),
  type: z
    .enum([
      'FINDER', 'REPORTER', 'ANALYST', 'COORDINATOR', 'REMEDIATION_DEVELOPER', 'REMEDIATION_REVIEWER',
      'REMEDIATION_VERIFIER', 'TOOL', 'SPONSOR', 'OTHER',
    ])
    .optional(),
});

export const osvRecordSchema = z
  .strictObject({
    schema_version: z.string().optional(),
    id: z.string().regex(new RegExp(idPrefixSource), 'not an OSV id: unknown database prefix'),
    modified: timestamp,
    published: timestamp.optional(),
    withdrawn: timestamp.optional(),
    aliases: z.array(z.string()).nullable().optional(),
    related: z.array(z.string()).optional(),
    upstream: z.array(z.string()).optional(),
    summary: z.string().optional(),
    details: z.string().optional(),
    severity: severityList.optional(),
    affected: z.array(affected).nullable().optional(),
    references: z.array(reference).nullable().optional(),
    credits: z.array(credit).optional(),
    database_specific: jsonObject.optional(),
  })
  .superRefine((record, ctx) => {
    // Upstream: once the record has a `severity` key (even null), no affected entry may have its own.
    if (!('severity' in record)) return;
    record.affected?.forEach((entry, index) => {
      if (entry.severity === undefined || entry.severity === null) return;
      const message = 'the record has a top-level severity, so an affected entry may not have its own';
      ctx.addIssue({ code: 'custom', path: ['affected', index, 'severity'], message });
    });
  });

export type OsvRecord = z.infer<typeof osvRecordSchema>;
export type OsvAffected = z.infer<typeof affected>;
export type OsvRange = z.infer<typeof range>;
export type OsvSeverity = z.infer<typeof severityItem>;
