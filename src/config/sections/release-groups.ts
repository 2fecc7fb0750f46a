import { z } from 'zod';

/**
 * A release group (`intake.releaseGroups`): packages of one project that are released together
 * under one version (a monorepo, a release train, what a BOM pins), like Renovate's monorepo
 * presets. Members of one group that need upgrading form one upgrade with one aligned target.
 */
export const releaseGroupSchema = z
  .object({
    name: z.string().min(1).describe('name of the group, shown as the upgrade component, e.g. spring-framework'),
    ecosystem: z.string().min(1).describe('OSV ecosystem name, e.g. Maven, npm'),
    packages: z.array(z.string().min(1)).default([]).describe('exact package names'),
    prefixes: z.array(z.string().min(1)).default([]).describe('package-name prefixes, e.g. "@babel/" or "org.springframework:spring-"'),
  })
  .strict()
  .refine((group) => group.packages.length + group.prefixes.length > 0, { message: 'a release group needs packages or prefixes' });

export type ReleaseGroup = z.output<typeof releaseGroupSchema>;
