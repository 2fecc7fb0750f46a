import { z } from 'zod';
import { roles } from '../core/roles.js';
import { metricOutcomes, variants, verdictOutcomes } from '../rollout/analysis/types.js';
import { rolloutPhases } from '../rollout/engine/index.js';
import { logEntrySchema } from './schemas.js';

/** Response shapes of the rollout routes; they are part of the OpenAPI document the dashboard's client comes from. */

const window = z.object({ start: z.string(), end: z.string() });

export const metricEvidenceSchema = z.object({
  metric: z.string(),
  outcome: z.enum(metricOutcomes),
  critical: z.boolean(),
  window,
  values: z.partialRecord(z.enum(variants), z.object({ count: z.number(), value: z.number().optional() })),
  threshold: z.string(),
  statistics: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.array(z.number()), z.null()])),
  reason: z.string(),
});

export const verdictSchema = z.object({
  judge: z.string(),
  outcome: z.enum(verdictOutcomes),
  score: z.number().optional(),
  reason: z.string(),
  evidence: z.array(metricEvidenceSchema),
});

const stepSchema = z.object({
  weight: z.number(),
  minDurationMs: z.number(),
  maxDurationMs: z.number(),
  minSamples: z.number(),
  analysis: z.object({ name: z.string(), intervalMs: z.number(), windowMs: z.number().optional() }),
  gate: z.object({ kind: z.enum(['auto', 'approval']), role: z.enum(roles).optional() }),
  onFailure: z.enum(['rollback', 'pause']),
});

const weights = z.object({ canary: z.number(), baseline: z.number() });

const verificationSchema = z
  .object({
    policy: z.object({
      windowMs: z.number(),
      intervalMs: z.number(),
      baselineWindowMs: z.number(),
      onRegression: z.enum(['alert', 'rollback']),
      baseline: z.object({ metrics: z.array(z.object({ name: z.string() })) }).optional().describe('the before/after metrics (their sources are in factory.yaml)'),
      checks: z.array(z.object({ analysis: z.string(), windowMs: z.number().optional() })),
    }),
    capture: z.object({ actionId: z.string(), at: z.string(), window, captured: z.array(z.string()), errors: z.array(z.string()) }).optional(),
    startedAt: z.string().optional(),
    endsAt: z.string().optional().describe('when the verification window ends: the upgrade completes then if every check passed'),
    nextRunAt: z.string().optional(),
    measuredUntil: z.string().optional(),
    round: z.number(),
    results: z.array(z.object({ round: z.number(), check: z.string(), actionId: z.string(), at: z.string(), window, verdict: verdictSchema })),
    outcome: z.enum(['passed', 'regressed']).optional(),
  })
  .describe('the verification after 100%: its policy, before-window capture, window and check results');

export const rolloutStateSchema = z.object({
  rolloutId: z.string(),
  upgradeId: z.string(),
  service: z.string(),
  initiator: z.string().describe('who started it: never the one who approves its gates'),
  attempt: z.number(),
  steps: z.array(stepSchema),
  baseline: z.boolean(),
  step: z.number().describe('index of the current step in steps'),
  phase: z.enum(rolloutPhases),
  pauseReason: z.string().optional(),
  weights,
  weightsConfirmed: z.boolean(),
  upgradeStage: z.string(),
  stepStartedAt: z.string().optional(),
  stepDeadlineAt: z.string().optional(),
  nextAnalysisAt: z.string().optional(),
  failedInAttempt: z.boolean(),
  stepPassed: z.boolean(),
  deployed: z.array(z.object({ attempt: z.number(), variant: z.enum(['canary', 'baseline']), digest: z.string(), evidence: z.string(), removed: z.boolean().optional() })),
  healthy: z.array(z.enum(['canary', 'baseline'])),
  verdicts: z.array(z.object({ attempt: z.number(), step: z.number(), weight: z.number(), actionId: z.string(), at: z.string(), window, verdict: verdictSchema })),
  approvals: z.array(z.object({ attempt: z.number(), step: z.number(), by: z.string(), role: z.enum(roles), decision: z.enum(['approve', 'reject']), at: z.string() })),
  verification: verificationSchema.optional(),
});

export const rolloutViewSchema = z.object({
  id: z.string(),
  upgradeId: z.string(),
  service: z.string(),
  attempt: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: rolloutStateSchema,
  decisions: z.array(logEntrySchema).optional().describe('its decisions from the operation log, oldest first'),
  weights: z
    .array(z.object({ at: z.string(), canary: z.number(), baseline: z.number() }))
    .optional()
    .describe('with its decisions: each weight change the router confirmed, oldest first'),
});

export const submitOutcomeSchema = z.object({
  status: z.enum(['accepted', 'refused', 'queued']),
  inputId: z.string(),
  decisions: z.array(z.object({ actionId: z.string(), owner: z.string(), text: z.string(), refusal: z.string().optional(), refusedAs: z.enum(['forbidden', 'conflict']).optional() })),
  refusal: z.string().optional(),
  refusedAs: z.enum(['forbidden', 'conflict']).optional(),
  rollout: rolloutViewSchema,
});
