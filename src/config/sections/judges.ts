import { z } from 'zod';

/**
 * Judge settings as factory.yaml states them (the rollout policy names the analysis to run; each
 * analysis has a judge). The judges (`src/rollout/analysis/judges/<kind>/`) import these types;
 * config sits below the stages, so never the reverse. A setting outside its domain is refused
 * when the config loads, with the key path.
 */

const metricName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected lower-case letters, digits or "_", e.g. p95_latency').describe('a metric name of the rollout policy');

// ---------------------------------------------------------------------------------------------
// statistical: Kayenta's Mann-Whitney classifier and weighted-sum scorer
// ---------------------------------------------------------------------------------------------

export const directions = ['increase', 'decrease', 'either'] as const;
export type Direction = (typeof directions)[number];
export const nanStrategies = ['remove', 'replace'] as const;
export type NanStrategy = (typeof nanStrategies)[number];
export const effectSizeMeasures = ['meanRatio', 'cles'] as const;
export type EffectSizeMeasure = (typeof effectSizeMeasures)[number];

/**
 * Kayenta's `effectSize`: how large a significant change must be to count. With `meanRatio`
 * (canary mean / baseline mean) the thresholds default to 1, with `cles` (the probability that
 * a canary value exceeds a baseline value) to 0.5, as in Kayenta: i.e. any significant change counts.
 * A metric is `high` only when its effect is at least `allowedIncrease`, `low` only when at most
 * `allowedDecrease`; a critical metric fails the whole analysis only past `criticalIncrease` /
 * `criticalDecrease`. Only the domain is checked (a positive ratio, a CLES within 0..1), so any
 * Kayenta configuration carries over as it is.
 */
export const effectSizeSchema = z
  .object({
    measure: z.enum(effectSizeMeasures).default('meanRatio'),
    allowedIncrease: z.number().optional(),
    allowedDecrease: z.number().optional(),
    criticalIncrease: z.number().optional(),
    criticalDecrease: z.number().optional(),
  })
  .strict()
  .transform((raw) => {
    const neutral = raw.measure === 'cles' ? 0.5 : 1;
    return {
      measure: raw.measure,
      allowedIncrease: raw.allowedIncrease ?? neutral,
      allowedDecrease: raw.allowedDecrease ?? neutral,
      criticalIncrease: raw.criticalIncrease ?? neutral,
      criticalDecrease: raw.criticalDecrease ?? neutral,
    };
  })
  .superRefine((effect, ctx) => {
    const inDomain = (value: number): boolean => (effect.measure === 'cles' ? value >= 0 && value <= 1 : value > 0 && Number.isFinite(value));
    const domain = effect.measure === 'cles' ? 'between 0 and 1' : 'a positive ratio';
    for (const key of ['allowedIncrease', 'allowedDecrease', 'criticalIncrease', 'criticalDecrease'] as const) {
      if (!inDomain(effect[key])) ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be ${domain} for ${effect.measure}` });
    }
  });
export type EffectSizeSettings = z.output<typeof effectSizeSchema>;

/**
 * One metric's Mann-Whitney classification, Kayenta's `analysisConfigurations.canary` block.
 * Also the input of `uf analysis judge` (with the samples), so its defaults are DESIGN.md's.
 */
export const mannWhitneySettingsShape = {
  direction: z.enum(directions).default('either').describe('which change is bad: increase, decrease or either'),
  tolerance: z.number().min(0).max(1).default(0.25).describe('fraction of the Hodges-Lehmann estimate the interval must clear'),
  confidence: z.number().gt(0).lt(1).default(0.95).describe('confidence level of the interval'),
  effectSize: effectSizeSchema.prefault({}),
  critical: z.boolean().default(false).describe('a high or low classification fails the whole analysis'),
  mustHaveData: z.boolean().default(false).describe('no data counts as a failed metric (nodata_fail) instead of nodata'),
  nan: z.enum(nanStrategies).default('remove').describe('NaN samples: remove them, or replace them with 0'),
};
export const mannWhitneySettingsSchema = z.object(mannWhitneySettingsShape).strict();
export type MannWhitneySettings = z.output<typeof mannWhitneySettingsSchema>;

export const statisticalMetricSchema = z
  .object({
    metric: metricName,
    groups: z.array(z.string().min(1)).min(1).default(['default']).describe('scoring groups the metric counts in'),
    ...mannWhitneySettingsShape,
  })
  .strict();
export type StatisticalMetricSettings = z.output<typeof statisticalMetricSchema>;

export const statisticalJudgeSettingsSchema = z
  .object({
    kind: z.literal('statistical'),
    metrics: z.array(statisticalMetricSchema).min(1),
    /** Percent weights per group; groups without one share what is left of 100 equally (Kayenta). */
    groupWeights: z.record(z.string().min(1), z.number().positive()).default({}),
    scoreThresholds: z
      .object({
        pass: z.number().min(0).max(100).default(95).describe('a score at or above passes'),
        marginal: z.number().min(0).max(100).default(75).describe('a score at or above (and below pass) is marginal: inconclusive, asks a human'),
      })
      .strict()
      .prefault({}),
    /**
     * Argo's `failureLimit`, as the threshold judge has it: how many failed measurements (a score
     * below `marginal` shown by the data) are tolerated, and recorded in the evidence, before the
     * analysis fails. `failureLimit: 1`: the first failed measurement passes with its failure in
     * the evidence, the SECOND fails. A critical metric's failure is never tolerated. 0 (the
     * default, Kayenta's behaviour): the first failure fails.
     */
    failureLimit: z.number().int().min(0).default(0).describe('failed measurements tolerated; the next one fails the analysis'),
  })
  .strict()
  .superRefine((settings, ctx) => {
    if (settings.scoreThresholds.marginal > settings.scoreThresholds.pass) {
      ctx.addIssue({ code: 'custom', path: ['scoreThresholds', 'marginal'], message: `marginal (${settings.scoreThresholds.marginal}) must not exceed pass (${settings.scoreThresholds.pass})` });
    }
    const groups = new Set(settings.metrics.flatMap((metric) => metric.groups));
    for (const group of Object.keys(settings.groupWeights)) {
      if (!groups.has(group)) ctx.addIssue({ code: 'custom', path: ['groupWeights', group], message: `no metric is in group '${group}' (groups: ${[...groups].join(', ')})` });
    }
    const total = Object.values(settings.groupWeights).reduce((sum, weight) => sum + weight, 0);
    const unweighted = [...groups].filter((group) => !(group in settings.groupWeights));
    if (total > 100 + 1e-9) ctx.addIssue({ code: 'custom', path: ['groupWeights'], message: `group weights add up to ${total}, more than 100` });
    else if (unweighted.length === 0 && Math.abs(total - 100) > 1e-9) ctx.addIssue({ code: 'custom', path: ['groupWeights'], message: `group weights add up to ${total}; with every group weighted they must add up to 100` });
    else if (unweighted.length > 0 && total >= 100 - 1e-9 && Object.keys(settings.groupWeights).length > 0) {
      ctx.addIssue({ code: 'custom', path: ['groupWeights'], message: `group weights already add up to 100, leaving nothing for ${unweighted.join(', ')}` });
    }
    const seen = new Set<string>();
    settings.metrics.forEach((metric, index) => {
      if (seen.has(metric.metric)) ctx.addIssue({ code: 'custom', path: ['metrics', index, 'metric'], message: `metric '${metric.metric}' is listed twice` });
      seen.add(metric.metric);
    });
  });
export type StatisticalJudgeSettings = z.output<typeof statisticalJudgeSettingsSchema>;

// ---------------------------------------------------------------------------------------------
// threshold: absolute SLOs and limits relative to the baseline
// ---------------------------------------------------------------------------------------------

export const aggregates = ['value', 'mean', 'p50', 'p90', 'p95', 'p99', 'max', 'min'] as const;
export type Aggregate = (typeof aggregates)[number];

/**
 * One check of the threshold judge. Bounds are inclusive: `max: 250` passes 250 and fails 250.1.
 * `maxRatio: 1.2` means `canary <= reference * 1.2`, where the reference is the baseline variant
 * when it was measured, else the stable fleet; `minRatio` is the same from below (for KPIs such
 * as conversion, where lower is worse).
 */
export const thresholdCheckSchema = z
  .object({
    metric: metricName,
    aggregate: z.enum(aggregates).default('value').describe("how a variant's samples become one value: the provider's aggregate (value, else the mean of the samples), or a statistic of the samples"),
    max: z.number().optional().describe('absolute upper bound (inclusive) of the canary value'),
    min: z.number().optional().describe('absolute lower bound (inclusive) of the canary value'),
    maxRatio: z.number().positive().optional().describe('canary <= reference * maxRatio'),
    minRatio: z.number().positive().optional().describe('canary >= reference * minRatio'),
    minSamples: z.number().int().min(1).optional().describe('overrides the judge-wide minimum of samples per variant'),
  })
  .strict()
  .superRefine((check, ctx) => {
    if (check.max === undefined && check.min === undefined && check.maxRatio === undefined && check.minRatio === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: `check of '${check.metric}' states no limit: give max, min, maxRatio or minRatio` });
    }
    if (check.min !== undefined && check.max !== undefined && check.min > check.max) ctx.addIssue({ code: 'custom', path: ['min'], message: `min (${check.min}) is above max (${check.max})` });
    if (check.minRatio !== undefined && check.maxRatio !== undefined && check.minRatio > check.maxRatio) {
      ctx.addIssue({ code: 'custom', path: ['minRatio'], message: `minRatio (${check.minRatio}) is above maxRatio (${check.maxRatio})` });
    }
  });
export type ThresholdCheck = z.output<typeof thresholdCheckSchema>;

export const thresholdJudgeSettingsSchema = z
  .object({
    kind: z.literal('threshold'),
    checks: z.array(thresholdCheckSchema).min(1),
    minSamples: z.number().int().min(1).default(1).describe('fewer samples in a variant than this: no data (inconclusive), never a pass'),
    /**
     * How many failed measurements are tolerated, and recorded, before the analysis fails:
     * `failureLimit: 3` means the first three failed measurements pass with their failure in the
     * evidence and the FOURTH fails the analysis. 0 (the default): the first failure fails.
     */
    failureLimit: z.number().int().min(0).default(0).describe('failed measurements tolerated; the next one fails the analysis'),
  })
  .strict();
export type ThresholdJudgeSettings = z.output<typeof thresholdJudgeSettingsSchema>;

/** Any judge's settings, by `kind`. */
export const judgeSettingsSchema = z.discriminatedUnion('kind', [thresholdJudgeSettingsSchema, statisticalJudgeSettingsSchema]);
export type JudgeSettings = z.output<typeof judgeSettingsSchema>;
