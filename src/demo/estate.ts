import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { UfError } from '../core/errors.js';

/** The demo estate ships inside the package (demo-data/), never read from ../shared at run time. */
export const demoDataDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo-data');

const estateSchema = z.object({
  catalog: z.array(z.string().min(1)).min(1),
  services: z
    .array(
      z.object({
        name: z.string().min(1),
        inventories: z.record(z.string(), z.string().min(1)),
      }),
    )
    .min(1),
  /** The `intake:` section of the demo's factory.yaml: advisory, KEV and release-note sources. */
  intake: z.record(z.string(), z.unknown()).default({}),
});

export type Estate = z.infer<typeof estateSchema>;

export function loadEstate(dir = demoDataDir): Estate {
  const file = join(dir, 'estate.yaml');
  const result = estateSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) throw new UfError('config_invalid', `demo estate manifest is invalid: ${result.error.issues[0]?.message}`, { file });
  return result.data;
}
