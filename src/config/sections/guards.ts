import { z } from 'zod';
import { durationFormat, parseDuration } from '../../core/duration.js';

const durationText = z.string({ error: durationFormat }).refine((value) => parseDuration(value) !== undefined, { message: durationFormat });

/**
 * `guards:` the seed's three anti-patterns, refused by the factory itself. Each guard can be
 * switched off (`enabled: false`) and has its thresholds; each refusal names its rule (the key
 * path here), the numbers and how to satisfy it, and is written to the operation log.
 *
 * - `bundling`: at most `max` unrelated upgrades start rolling out on one service, or on the
 *   services of one owning team, within any rolling period `per`. Upgrades of one release group
 *   are one upgrade already; rollouts of the same upgrade (another service, a retry) or of the
 *   same component are related and count once.
 * - `rollbackDrill`: a production canary (a rollout start) needs a passing `uf drill run` for that
 *   service newer than `maxAge`.
 * - `releaseNotes`: compat cannot start before an owner of one of the upgrade's services (or an
 *   admin) acknowledged the release notes intake parsed for it, as they are now.
 */
export const guardsSchema = z
  .object({
    bundling: z
      .object({
        enabled: z.boolean().default(true),
        max: z.number().int().min(1).max(1000).default(3),
        per: durationText.default('24h'),
      })
      .strict()
      .default({ enabled: true, max: 3, per: '24h' }),
    rollbackDrill: z
      .object({
        enabled: z.boolean().default(true),
        maxAge: durationText.default('30d'),
      })
      .strict()
      .default({ enabled: true, maxAge: '30d' }),
    releaseNotes: z
      .object({
        enabled: z.boolean().default(true),
      })
      .strict()
      .default({ enabled: true }),
  })
  .strict()
  .default({ bundling: { enabled: true, max: 3, per: '24h' }, rollbackDrill: { enabled: true, maxAge: '30d' }, releaseNotes: { enabled: true } });

export type GuardsConfig = z.output<typeof guardsSchema>;

/** Milliseconds of a duration the schema already checked. */
export function guardDurationMs(text: string): number {
  return parseDuration(text) ?? 0;
}
