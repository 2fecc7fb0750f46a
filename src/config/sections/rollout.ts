import { z } from 'zod';
import { durationFormat, parseDuration } from '../../core/duration.js';
import { roles } from '../../core/roles.js';
import { changeClasses } from '../../core/upgrade/index.js';
import { judgeSettingsSchema } from './judges.js';
import { metricSourceSchema } from './metrics.js';
import { checkRolloutPolicies } from './rollout-policy.js';

/**
 * `rollout:` in factory.yaml: how an upgrade moves from its canary step to 100%. Steps, their waits,
 * analyses and gates are set per change class (`defaults` for every class, then `classes`, over
 * the built-in defaults of `rollout-policy.ts`) and may be overridden per service (`services.<name>`, for every class or for
 * one). The rollout engine (`src/rollout/engine/`) only ever sees the policy `resolveRolloutPolicy`
 * returns. How each field is merged and what is refused at load is documented there.
 */

/** A duration kept as written (messages quote it); `resolveRolloutPolicy` turns it into milliseconds. */
export const durationText = z.string({ error: durationFormat }).refine((text) => parseDuration(text) !== undefined, { message: durationFormat });

const analysisName = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a lower-case name such as checkout-slo');
const metricName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'a metric name such as p95_latency or error_rate');

/** `auto`, or a person holding the role, who is not the rollout's initiator, approves. */
export const gateSchema = z.union([z.literal('auto'), z.object({ approval: z.object({ role: z.enum(roles) }).strict() }).strict()], {
  error: () => `a gate is auto or { approval: { role: ROLE } } with ROLE one of ${roles.join(', ')}`,
});
export type GateSetting = z.output<typeof gateSchema>;

export const failureActions = ['rollback', 'pause'] as const;
export type FailureAction = (typeof failureActions)[number];

/** Settings a step takes from its own entry first, then from the class or service it belongs to. */
const stepSettings = {
  minDuration: durationText.optional().describe('how long the step runs at least before it can advance, e.g. 5m'),
  maxDuration: durationText.optional().describe('how long the step may wait for its samples before it pauses and asks a human'),
  minSamples: z.number().int().min(0).optional().describe('samples each variant needs in every metric before a pass counts'),
  analysis: analysisName.optional().describe('the name of an analysis under rollout.analyses'),
  onFailure: z.enum(failureActions).optional().describe('what a failed analysis does: rollback (default) or pause'),
};

export const rolloutStepSchema = z
  .object({
    weight: z.number().int().min(1).max(100).describe('percent of traffic on the new version during the step'),
    gate: gateSchema.optional().describe('what lets the step advance once its analysis passed: auto or { approval: { role } }'),
    ...stepSettings,
  })
  .strict();
export type RolloutStepSetting = z.output<typeof rolloutStepSchema>;

export const analysisMetricSchema = z
  .object({
    name: metricName.describe('the name judges and evidence use, e.g. p95_latency'),
    source: metricSourceSchema.describe('where the measurements come from: the provider kind and its settings'),
  })
  .strict();
export type AnalysisMetricSetting = z.output<typeof analysisMetricSchema>;

/** What a verification regression does: alert (notify the owner, the upgrade stays in verifying) or rollback. */
export const regressionActions = ['alert', 'rollback'] as const;
export type RegressionAction = (typeof regressionActions)[number];

/**
 * `verification:` of a policy layer: what happens after 100%. Every field optional, merged key by
 * key over the layer below (see rollout-verification.ts for the defaults and the load checks).
 */
export const verificationSchema = z
  .object({
    window: durationText.optional().describe('how long the upgrade stays in verification after 100% (30m by default)'),
    interval: durationText.optional().describe('how often the verification checks run (1m by default)'),
    baselineWindow: durationText.optional().describe('the window before the rollout started that the after-window is compared with (30m by default)'),
    onRegression: z.enum(regressionActions).optional().describe('alert (default: notify the owner, stay in verifying) or rollback (traffic off, upgrade rolled back)'),
    metrics: z.array(analysisMetricSchema).optional().describe('before/after baselines: metrics measured before the rollout (stable) and after it (at 100%), judged together'),
    judge: judgeSettingsSchema.optional().describe('the judge of the before/after metrics (by default the statistical judge, every metric bad when it increases)'),
    checks: z.array(analysisName).optional().describe('analyses under rollout.analyses run against production during the window (by default the 100% step’s analysis)'),
  })
  .strict();
export type VerificationSetting = z.output<typeof verificationSchema>;

/** A class's or a service's policy: every field optional, merged over the one below it. */
export const rolloutPolicySchema = z
  .object({
    ...stepSettings,
    verification: verificationSchema.optional().describe('the verification window after 100%: its length, checks, before/after metrics and what a regression does'),
    gate: gateSchema.optional().describe('the gate of every step but the last (leaving the last starts verification)'),
    steps: z.array(rolloutStepSchema).min(1).optional().describe('the steps, by weight, ending at 100'),
  })
  .strict();
export type RolloutPolicySetting = z.output<typeof rolloutPolicySchema>;

export const analysisSchema = z
  .object({
    interval: durationText.default('1m').describe('how often the analysis runs while a step is in progress'),
    window: durationText.optional().describe('how far back each run measures; from the start of the step when absent'),
    metrics: z.array(analysisMetricSchema).min(1),
    judge: judgeSettingsSchema.describe('the judge kind and its settings'),
  })
  .strict();
export type AnalysisSetting = z.output<typeof analysisSchema>;

const perClass = Object.fromEntries(changeClasses.map((c) => [c, rolloutPolicySchema.optional()])) as Record<
  (typeof changeClasses)[number],
  z.ZodOptional<typeof rolloutPolicySchema>
>;

export const serviceRolloutSchema = rolloutPolicySchema
  .extend(perClass)
  .strict();
export type ServiceRolloutSetting = z.output<typeof serviceRolloutSchema>;

export const rolloutSchema = z
  .object({
    analyses: z
      .record(analysisName, analysisSchema, { error: (issue) => (issue.code === 'invalid_key' ? 'an analysis name: lower-case letters, digits, "-" and "_", starting with a letter' : undefined) })
      .default({}).describe('named analyses the steps refer to'),
    defaults: rolloutPolicySchema.optional().describe('a policy every class starts from (over the built-in defaults), e.g. the analysis they all run'),
    classes: z.object(perClass).strict().prefault({}).describe('the policy of each change class, over the built-in defaults'),
    services: z.record(z.string().min(1), serviceRolloutSchema).default({}).describe('per-service overrides (catalog Component names)'),
  })
  .strict()
  .prefault({})
  .superRefine(checkRolloutPolicies);

export type RolloutConfig = z.output<typeof rolloutSchema>;
