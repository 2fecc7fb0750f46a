import { z } from 'zod';
import { changeClasses, evidenceKinds, evidenceOutcomes, upgradeStates } from '../core/upgrade/index.js';
import { cisaDecisions } from '../risk/index.js';
import { findingStatuses } from '../store/schema.js';

/** Response shapes of the REST API; they also make up the OpenAPI document. */
export const errorResponse = z.object({ code: z.string(), message: z.string() });

export const evidenceSchema = z.object({
  id: z.string(),
  kind: z.enum(evidenceKinds),
  outcome: z.enum(evidenceOutcomes),
  stage: z.enum(upgradeStates),
  weight: z.number(),
  ref: z.string(),
  summary: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});

export const upgradeSchema = z.object({
  id: z.string(),
  ecosystem: z.string(),
  name: z.string(),
  purl: z.string(),
  fromVersions: z.array(z.string()),
  targetVersion: z.string(),
  services: z.array(z.string()),
  members: z
    .array(
      z.object({
        ecosystem: z.string(),
        name: z.string(),
        purl: z.string(),
        fromVersions: z.array(z.string()),
        targetVersion: z.string(),
        releaseGroup: z.string().optional(),
      }),
    )
    .describe('the packages it moves, each to its own target; one member for a single-package upgrade'),
  changeClass: z.enum(changeClasses),
  state: z.enum(upgradeStates),
  weight: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  postReviewRequired: z.boolean(),
  evidence: z.array(evidenceSchema),
});

export const serviceSchema = z.object({
  ref: z.string(),
  name: z.string(),
  title: z.string().optional(),
  owner: z.string().optional(),
  system: z.string().optional(),
  lifecycle: z.string().optional(),
  tier: z.string().optional(),
  criticalPaths: z.array(z.string()),
  trafficShare: z.number().optional(),
  downtimeCostPerHour: z.number().optional(),
  dependsOn: z.array(z.string()),
  components: z.record(z.string(), z.number()).describe('component count per environment'),
});

export const dependentSchema = z.object({ ref: z.string(), depth: z.number(), path: z.array(z.string()) });

export const driftSchema = z.object({
  service: z.string(),
  ecosystem: z.string(),
  name: z.string(),
  versions: z.record(z.string(), z.array(z.string())),
});

export const endOfLifeSchema = z.object({
  sources: z.number().describe('endoflife.date files configured in intake.endOfLife'),
  horizonDays: z.number().describe('a version within this many days of its end of support is flagged'),
  checkedAt: z.string().nullable().describe('when the intake run that found these finished; null when intake never ran'),
  items: z.array(
    z.object({
      component: z.string(),
      version: z.string(),
      cycle: z.string(),
      eol: z.string().describe('end of support, ISO date, or `ended` when the data gives no date'),
      daysLeft: z.number().describe('negative once past'),
      status: z.enum(['past', 'near']),
      services: z.array(z.string()),
    }),
  ),
});

export const logEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  reason: z.string(),
  evidenceRef: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});

export const verifySchema = z.object({
  ok: z.boolean(),
  entries: z.number(),
  head: z.object({ seq: z.number(), hash: z.string() }).optional(),
  firstBroken: z.object({ seq: z.number(), problem: z.string(), detail: z.string() }).optional(),
});

export const riskSchema = z.object({
  assessedAt: z.string(),
  score: z.number(),
  decision: z.enum(cisaDecisions),
  changeClass: z.enum(changeClasses),
  summary: z.string(),
  decisionReason: z.string(),
  changeClassReason: z.string(),
  explanation: z.string(),
  factors: z.array(
    z.object({ name: z.string(), group: z.string(), value: z.union([z.string(), z.number(), z.boolean()]), weight: z.number(), contribution: z.number(), reason: z.string() }),
  ),
});

export const findingSchema = z.object({
  id: z.string(),
  advisoryId: z.string(),
  service: z.string(),
  environment: z.string(),
  purl: z.string(),
  ecosystem: z.string(),
  name: z.string(),
  version: z.string(),
  direct: z.boolean(),
  fixedIn: z.array(z.string()),
  status: z.enum(findingStatuses),
  firstSeenAt: z.string(),
  updatedAt: z.string(),
});
