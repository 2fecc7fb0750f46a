import { z } from 'zod';

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
