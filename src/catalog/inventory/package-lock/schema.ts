import { z } from 'zod';

/** An entry of the lockfile v1 `dependencies` tree (also kept in v2 for old npm versions). */
export interface TreeEntry {
  version?: string | undefined;
  dev?: boolean | undefined;
  optional?: boolean | undefined;
  requires?: Record<string, string> | undefined;
  dependencies?: Record<string, TreeEntry> | undefined;
}

export const treeEntrySchema: z.ZodType<TreeEntry> = z.object({
  version: z.string().optional(),
  dev: z.boolean().optional(),
  optional: z.boolean().optional(),
  requires: z.record(z.string(), z.string()).optional(),
  get dependencies() {
    return z.record(z.string(), treeEntrySchema).optional();
  },
});

const declaredSchema = z.record(z.string(), z.string()).optional();

/** An entry of the v2/v3 `packages` map, keyed by install path (`node_modules/a/node_modules/b`). */
export const packageEntrySchema = z.object({
  /** Set when the install name is an alias: the real package name. */
  name: z.string().optional(),
  version: z.string().optional(),
  link: z.boolean().optional(),
  dev: z.boolean().optional(),
  optional: z.boolean().optional(),
  devOptional: z.boolean().optional(),
  dependencies: declaredSchema,
  devDependencies: declaredSchema,
  optionalDependencies: declaredSchema,
  peerDependencies: declaredSchema,
});

export type PackageEntry = z.infer<typeof packageEntrySchema>;

/** package-lock.json and npm-shrinkwrap.json, lockfileVersion 1, 2 and 3. */
export const packageLockSchema = z.object({
  name: z.string().optional(),
  version: z.string().optional(),
  lockfileVersion: z.number().int().min(1),
  packages: z.record(z.string(), packageEntrySchema).optional(),
  dependencies: z.record(z.string(), treeEntrySchema).optional(),
});

export type PackageLock = z.infer<typeof packageLockSchema>;
