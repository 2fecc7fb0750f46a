import { z } from 'zod';

const hours = (fallback: number) => z.number().min(0).max(24 * 365).default(fallback);

/**
 * `economics:` the inputs of the avoided-downtime model that are policy, not data (README,
 * "Economics"). The expected outage hours per advisory severity and the KEV likelihood floor have
 * defaults, and every figure names the key it took them from; the cost of an hour of downtime is
 * data and comes from the catalog (`upgrade-factory.io/downtime-cost-per-hour`), or from
 * `organisationCostPerHour` × the service's `upgrade-factory.io/traffic-share`, never from a default.
 */
export const economicsSchema = z
  .object({
    /** The unit of every cost annotation, shown beside each amount; the model converts nothing. */
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR or USD').default('EUR'),
    /** Hours of outage an exploited advisory of each severity is expected to cause. */
    outageHours: z
      .object({
        critical: hours(8).describe('expected outage hours of an exploited critical advisory'),
        high: hours(4).describe('expected outage hours of an exploited high advisory'),
        medium: hours(2).describe('expected outage hours of an exploited medium advisory'),
        low: hours(0.5).describe('expected outage hours of an exploited low advisory'),
      })
      .strict()
      .prefault({}),
    /** Likelihood of exploitation used for a KEV-listed advisory when its EPSS score is lower (or unknown). */
    kevLikelihoodFloor: z.number().gt(0).max(1).default(0.5),
    /**
     * Cost of one hour of the whole organisation being down; a service without its own
     * downtime-cost annotation then costs this × its traffic-share annotation. No default.
     */
    organisationCostPerHour: z.number().min(0).optional(),
    /** Days before the rollout started and after it ended that incidents and DORA figures are compared over. */
    comparisonWindowDays: z.number().int().min(1).max(365).default(30),
  })
  .strict()
  .prefault({});

export type EconomicsPolicy = z.output<typeof economicsSchema>;
export type OutageSeverity = keyof EconomicsPolicy['outageHours'];
export const defaultEconomics: EconomicsPolicy = economicsSchema.parse({});
