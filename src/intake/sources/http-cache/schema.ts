import { z } from 'zod';

/**
 * The cache's record of one URL, `<key>.json` beside the body file it names. Read back from disk,
 * so validated like any outside input: a damaged or tampered record is ignored (the URL is then
 * fetched unconditionally), and `body` may only name a file of this cache entry, never a path.
 */
export const cacheMetaSchema = z.object({
  url: z.string(),
  body: z.string().regex(/^[0-9a-f]{32}-[0-9a-f-]{36}\.body$/),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  contentType: z.string().optional(),
});

export type CacheMeta = z.infer<typeof cacheMetaSchema>;
