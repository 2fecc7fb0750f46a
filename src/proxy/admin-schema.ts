import { z } from 'zod';

/** Bodies the admin API accepts; parsed once here, at the edge. */
export const weightsBody = z.object({ canary: z.number().min(0).max(100) });

export const routeBody = z.object({
  kind: z.enum(['header', 'cookie']),
  name: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a header or cookie name'),
  value: z.string().min(1).max(4096),
  variant: z.enum(['stable', 'canary']).default('canary'),
});

/** What GET /weights (and every change) answers. */
export const weightsView = z.object({
  canary: z.number(),
  stable: z.number(),
  route: routeBody.required().nullable(),
  generation: z.number().int(),
});
export type WeightsView = z.infer<typeof weightsView>;
