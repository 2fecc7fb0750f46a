import { z } from 'zod';
import { isCalendarDay } from '../calendar.js';

/** endoflife.date's product API (`/api/<product>.json`): one object per release cycle. */
// A real calendar day: `2021-13-01` would read as NaN days to end of life and count as nothing.
const dateOrFlag = z.union([z.string().refine(isCalendarDay, 'a YYYY-MM-DD date on the calendar'), z.boolean()]);

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
