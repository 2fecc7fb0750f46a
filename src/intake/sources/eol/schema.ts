import { z } from 'zod';

/** endoflife.date's product API (`/api/<product>.json`): one object per release cycle. */
const dateOrFlag = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a YYYY-MM-DD date'), z.boolean()]);

export const eolCycleSchema = z
  .object({
    cycle: z.union([z.string().min(1), z.number()]).transform(String),
    releaseDate: z.string().optional(),
    eol: dateOrFlag,
    support: dateOrFlag.optional(),
    latest: z.union([z.string(), z.number()]).transform(String).optional(),
    lts: z.union([z.string(), z.boolean()]).optional(),
  })
  .loose();

export const eolProductSchema = z.array(z.unknown());
