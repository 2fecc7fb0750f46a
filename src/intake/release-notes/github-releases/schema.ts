import { z } from 'zod';

/**
 * One element of GitHub's REST "list releases" response (`GET /repos/{owner}/{repo}/releases`).
 * Only the fields release notes need are checked; the rest (assets, author, URLs) pass through.
 */
export const githubReleaseSchema = z.looseObject({
  tag_name: z.string().min(1),
  name: z.string().nullish(),
  body: z.string().nullish(),
  draft: z.boolean().optional(),
  prerelease: z.boolean().optional(),
  created_at: z.string().nullish(),
  published_at: z.string().nullish(),
});

export type GithubRelease = z.infer<typeof githubReleaseSchema>;
