import { z } from 'zod';

/** A plain decimal as FIRST writes them (`0.94358`, `1.0`, `7e-05`): no sign, no hex, no blanks. */
const decimal = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const probability = z
  .string()
  .regex(decimal, 'expected a decimal number')
  .transform(Number)
  .pipe(z.number().min(0, 'expected a value from 0 to 1').max(1, 'expected a value from 0 to 1'));

/** One data line of FIRST's EPSS CSV, by column name. */
export const epssRowSchema = z.object({
  cve: z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE id such as CVE-2021-44228'),
  epss: probability,
  percentile: probability,
});

export const epssColumns = ['cve', 'epss', 'percentile'] as const;
