import { z } from 'zod';

const address = z.string().regex(/^[^\s;{}'"$#\\]+$/, 'expected an nginx server address (no spaces, quotes, ";", "{", "}", "$", "#")');

export const nginxRouterOptionsSchema = z.object({
  service: z.string().regex(/^[a-z0-9_]{1,48}$/, 'expected lower-case letters, digits or "_"'),
  stable: address,
  canary: address,
  statusListen: z.string().regex(/^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port'),
  includeFile: z.string().min(1),
  nginx: z.object({
    binary: z.string().min(1).optional(),
    config: z.string().min(1),
    prefix: z.string().min(1).optional(),
    errorLog: z.string().min(1).optional(),
    pidFile: z.string().min(1),
  }),
  reloadTimeoutMs: z.number().int().positive().optional(),
});

const routeSchema = z.object({ kind: z.enum(['header', 'cookie']), name: z.string(), value: z.string() });

/** The state line of the include file and the body of the status endpoint. */
export const nginxStateSchema = z.object({
  service: z.string(),
  generation: z.number().int().nonnegative(),
  canary: z.number().int().min(0).max(100),
  stable: z.number().int().min(0).max(100),
  route: routeSchema.nullable(),
});

export type NginxStateRecord = z.infer<typeof nginxStateSchema>;
