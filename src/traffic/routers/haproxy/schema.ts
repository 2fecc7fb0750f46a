import { z } from 'zod';

/** HAProxy proxy, server and map names as uf accepts them: no spaces or CLI separators. */
const haproxyName = z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'expected letters, digits, "_", ".", ":" or "-"');

export const haproxyRouterOptionsSchema = z.object({
  runtimeApi: z.string().min(1),
  backend: haproxyName,
  servers: z.object({ stable: haproxyName, canary: haproxyName }),
  routeMap: z.string().regex(/^[^\s;\\]+$/, 'expected a file path without spaces, ";" or "\\"'),
  timeoutMs: z.number().int().positive().optional(),
});

const count = z.string().regex(/^\d+$/, 'expected a whole number').transform(Number);
const optionalCount = z
  .string()
  .regex(/^\d*$/, 'expected a whole number or nothing')
  .transform((text) => (text === '' ? 0 : Number(text)));

/** One server row of `show stat` (CSV), only the columns uf reads. */
export const haproxyServerStatSchema = z.object({
  pxname: z.string(),
  svname: z.string(),
  status: z.string(),
  weight: count,
  stot: count,
  lbtot: optionalCount,
  hrsp_2xx: optionalCount,
  hrsp_5xx: optionalCount,
});

export type HaproxyServerStat = z.infer<typeof haproxyServerStatSchema>;
