import { z } from 'zod';

/**
 * The parts of an npm registry packument (`GET https://registry.npmjs.org/<name>`) that carry
 * release facts. `time` maps each version to its publish timestamp, plus `created` and `modified`;
 * a fully unpublished package has `time.unpublished` (an object) and no `versions`.
 */
export const packumentSchema = z.looseObject({
  name: z.string().optional(),
  versions: z.record(z.string(), z.unknown()).optional(),
  time: z.record(z.string(), z.unknown()).optional(),
  'dist-tags': z.record(z.string(), z.unknown()).optional(),
});

/** One entry of `versions`: a package.json as published, with `deprecated` set by `npm deprecate`. */
export const packumentVersionSchema = z.looseObject({
  version: z.string().optional(),
  // An empty string is what `npm deprecate pkg@v ""` leaves: no longer deprecated.
  deprecated: z.string().optional(),
});
