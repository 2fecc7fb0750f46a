import { z } from 'zod';
import { UfError } from '../../../core/errors.js';
import { parseJsonText } from '../../../core/json-text.js';

/** The JSON manifests' fields this check reads; everything else in them is left alone. */
const ranges = z.record(z.string(), z.string()).optional();

export const packageJsonSchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  dependencies: ranges,
  optionalDependencies: ranges,
  peerDependencies: ranges,
  engines: ranges,
});
export type PackageJson = z.output<typeof packageJsonSchema>;

export const packageLockSchema = z.looseObject({
  lockfileVersion: z.number().int(),
  packages: z.record(z.string(), packageJsonSchema).optional(),
});

export const composerJsonSchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  type: z.string().optional(),
  require: ranges,
  conflict: ranges,
});
export type ComposerPackage = z.output<typeof composerJsonSchema>;

export const composerLockSchema = z.looseObject({
  packages: z.array(composerJsonSchema.extend({ name: z.string() })),
  'packages-dev': z.array(composerJsonSchema.extend({ name: z.string() })).nullish(),
});

export const packumentSchema = z.looseObject({
  name: z.string(),
  versions: z.record(z.string(), packageJsonSchema),
});

/** Parses JSON text against a schema; a UfError `parse_error` naming the file and its line, or the field, otherwise. */
export function readJson<T>(schema: z.ZodType<T>, text: string, file: string, expected: string): T {
  let value: unknown;
  try {
    value = parseJsonText(text, { file });
  } catch (error) {
    if (!(error instanceof UfError)) throw error;
    throw new UfError('parse_error', `${error.message}: expected ${expected}`, error.location, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw new UfError('parse_error', `${path === '' ? 'the document' : path}: ${issue?.message ?? 'invalid'}: expected ${expected}`, { file, path });
}
