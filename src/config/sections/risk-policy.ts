import { z } from 'zod';

/**
 * Risk policy, mounted by the factory config under `risk:`. Every field has a default, so `risk: {}`
 * (or no `risk:` at all) gives the policy below.
 *
 * How the score uses it: each factor yields a value normalised to 0..1. Inside a group, factors
 * share the group's points in proportion to their `factorWeights`; a factor's contribution is its
 * share of points times its normalised value. The score is the sum of all contributions, rounded
 * and capped at 100. The group points add up to more than 100 on purpose: an actively exploited
 * critical issue on a critical service should reach the top of the scale even when the upgrade
 * itself is easy to roll back, and a reader can still see which group pushed it there.
 */
const points = (fallback: number) => z.number().min(0).max(100).default(fallback);
const share = (fallback: number) => z.number().min(0).default(fallback);
const positive = (fallback: number) => z.number().positive().default(fallback);
const days = (fallback: number) => z.number().int().min(1).default(fallback);
const probability = (fallback: number) => z.number().gt(0).max(1).default(fallback);

/** One group's factor weights: relative shares, at least one above 0 so the group can score. */
function factorShares<K extends string>(group: string, shape: Record<K, z.ZodDefault<z.ZodNumber>>) {
  return z
    .object(shape)
    .strict()
    .refine((weights: object) => Object.values(weights).some((weight) => typeof weight === 'number' && weight > 0), {
      message: `at least one ${group} factor weight must be above 0`,
    });
}

const groupWeightsSchema = z
  .object({
    exploitability: points(65).describe('points exploitability can add (CVSS, EPSS, KEV)'),
    blastRadius: points(40).describe('points blast radius can add (services, tier, traffic, critical paths, dependents)'),
    reversibility: points(20).describe('points reversibility can add (major version, breaking changes, migrations, rollback drill)'),
    endOfLife: points(10).describe('points the end of life of the current version can add'),
  })
  .strict()
  .prefault({});

const factorWeightsSchema = z
  .object({
    exploitability: factorShares('exploitability', {
      cvssBase: share(35),
      epss: share(20),
      kev: share(30),
      knownRansomware: share(5),
      automatable: share(5),
      technicalImpact: share(5),
    }).prefault({}),
    blastRadius: factorShares('blastRadius', {
      services: share(15),
      tier: share(20),
      trafficShare: share(15),
      criticalPaths: share(20),
      transitiveDependents: share(10),
      internetFacing: share(10),
      missionWellbeing: share(10),
    }).prefault({}),
    reversibility: factorShares('reversibility', {
      majorVersion: share(25),
      breakingChanges: share(25),
      migrations: share(20),
      deprecations: share(5),
      rollbackDrill: share(25),
    }).prefault({}),
  })
  .strict()
  .prefault({});

const thresholdsSchema = z
  .object({
    epssPublicPoc: probability(0.1).describe('EPSS probability at or above which SSVC exploitation is public_poc'),
    epssPercentilePublicPoc: probability(0.95).describe('EPSS percentile at or above which SSVC exploitation is public_poc'),
    recentDrillDays: days(30).describe('a rollback drill at most this many days old counts as recent'),
    eolHorizonDays: days(180).describe('end of life starts to count this many days ahead, fully once reached'),
  })
  .strict()
  .prefault({});

const saturationSchema = z
  .object({
    services: positive(10).describe('number of affected services that counts fully'),
    trafficShare: z.number().positive().max(1).default(0.5).describe('summed traffic share (0..1) that counts fully'),
    transitiveDependents: positive(20).describe('number of transitive dependents that counts fully'),
    breakingChanges: positive(5).describe('number of breaking changes that counts fully'),
    migrations: positive(2).describe('number of required migrations that counts fully'),
    deprecations: positive(10).describe('number of deprecations that counts fully'),
  })
  .strict()
  .prefault({});

/**
 * What an unknown counts, as a share (0..1) of the factor's weight. Unknown is neither "none" nor
 * "yes": with no release notes covering the move, nobody knows whether it breaks anything, so it
 * counts between the two (by default half), and recording the notes moves the score either way.
 */
const unknownSchema = z
  .object({
    breakingChanges: z.number().min(0).max(1).default(0.5).describe('share of the breakingChanges weight counted when no release notes cover the range'),
    migrations: z.number().min(0).max(1).default(0.5).describe('share of the migrations weight counted when no release notes cover the range'),
    deprecations: z.number().min(0).max(1).default(0.5).describe('share of the deprecations weight counted when no release notes cover the range'),
  })
  .strict()
  .prefault({});

export const riskPolicySchema = z
  .object({
    weights: groupWeightsSchema,
    factorWeights: factorWeightsSchema,
    thresholds: thresholdsSchema,
    saturation: saturationSchema,
    unknown: unknownSchema,
    unknownTier: z.enum(['critical', 'high', 'medium', 'low']).default('medium').describe('tier assumed for a service whose catalog entry has none'),
  })
  .strict()
  .refine((policy) => Object.values(policy.weights).some((weight) => weight > 0), {
    message: 'at least one group weight must be above 0',
    path: ['weights'],
  })
  .prefault({});

export type RiskPolicy = z.output<typeof riskPolicySchema>;
export type RiskPolicyInput = z.input<typeof riskPolicySchema>;

export const defaultRiskPolicy: RiskPolicy = riskPolicySchema.parse({});
