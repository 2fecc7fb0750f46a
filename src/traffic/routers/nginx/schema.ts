import { z } from 'zod';

const routeSchema = z.object({ kind: z.enum(['header', 'cookie']), name: z.string(), value: z.string() });

/** The state line of the include file and the body of the status endpoint. */
export const nginxStateSchema = z.object({
  service: z.string(),
  generation: z.number().int().nonnegative(),
  canary: z.number().int().min(0).max(100),
  stable: z.number().int().min(0).max(100),
  /** Only in the files of a router with a baseline server. */
  baseline: z.number().int().min(0).max(100).optional(),
  route: routeSchema.nullable(),
});

export type NginxStateRecord = z.infer<typeof nginxStateSchema>;
