import { z } from 'zod';
import { durationFormat, parseDuration } from '../../core/duration.js';

const durationText = z.string({ error: durationFormat }).refine((value) => parseDuration(value) !== undefined, { message: durationFormat });

/**
 * `tokens:` how long API tokens live. A token is created with `defaultExpiry` unless it asks for
 * less; no one can ask for more than `maxExpiry`; a token that never expires needs
 * `allowNonExpiring: true` (off by default, as in GitHub's organisation policies).
 */
export const tokensSchema = z
  .object({
    defaultExpiry: durationText.default('90d'),
    maxExpiry: durationText.default('366d'),
    allowNonExpiring: z.boolean().default(false),
    /** How long a rotated token keeps working beside its replacement unless `--grace` says otherwise. */
    rotationGrace: durationText.default('0s'),
  })
  .strict()
  .superRefine((tokens, ctx) => {
    if (parseDuration(tokens.defaultExpiry)! > parseDuration(tokens.maxExpiry)!) ctx.addIssue({ code: 'custom', path: ['defaultExpiry'], message: `defaultExpiry (${tokens.defaultExpiry}) is longer than maxExpiry (${tokens.maxExpiry})` });
  })
  .default({ defaultExpiry: '90d', maxExpiry: '366d', allowNonExpiring: false, rotationGrace: '0s' });

export type TokensPolicy = z.infer<typeof tokensSchema>;
