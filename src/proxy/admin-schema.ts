import { z } from 'zod';

/**
 * Bodies the admin API accepts; parsed once here, at the edge. `PUT /weights` replaces both
 * weights: a body without `baseline` sets the baseline to 0 (what `{"canary": N}` always meant).
 */
export const weightsBody = z
  .object({ canary: z.number().min(0).max(100), baseline: z.number().min(0).max(100).optional() })
  .refine((body) => body.canary + (body.baseline ?? 0) <= 100, { message: 'canary and baseline add up to more than 100', path: ['baseline'] });

export const routeBody = z.object({
  kind: z.enum(['header', 'cookie']),
  name: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a header or cookie name'),
  value: z.string().min(1).max(4096),
  variant: z.enum(['stable', 'canary', 'baseline']).default('canary'),
});

/** What GET /weights (and every change) answers. */
export const weightsView = z.object({
  canary: z.number(),
  stable: z.number(),
  /** Present when the proxy has a baseline upstream. */
  baseline: z.number().optional(),
  route: routeBody.required().nullable(),
  generation: z.number().int(),
});
export type WeightsView = z.infer<typeof weightsView>;
