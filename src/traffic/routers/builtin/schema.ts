import { z } from 'zod';

/** GET /weights (and the answer to every change) of the built-in proxy's admin API. */
export const weightsResponse = z.object({
  canary: z.number().min(0).max(100),
  stable: z.number().min(0).max(100),
  baseline: z.number().min(0).max(100).optional(),
  route: z
    .object({ kind: z.enum(['header', 'cookie']), name: z.string(), value: z.string(), variant: z.enum(['stable', 'canary', 'baseline']).default('canary') })
    .nullable()
    .optional(),
});
export type WeightsResponse = z.infer<typeof weightsResponse>;

/** The error body the admin API sends with 4xx and 5xx answers. */
export const errorResponse = z.object({ code: z.string(), message: z.string() });
