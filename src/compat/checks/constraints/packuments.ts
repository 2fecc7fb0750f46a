import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UfError } from '../../../core/errors.js';
import { npmConstraints } from './npm.js';
import { packumentSchema, readJson } from './schema.js';
import type { DeclaredConstraint, ManifestNote } from './types.js';

/**
 * The `peerDependencies` and `engines` a registry packument records for one installed version of a
 * package: what the registry says, which is what npm checks at install time. Packuments naming
 * another package are left alone. An unreadable packument is a UfError naming it.
 */
export async function packumentConstraints(
  files: readonly string[],
  baseDir: string,
  pkg: { name: string; version: string | undefined },
  signal: AbortSignal,
): Promise<{ constraints: DeclaredConstraint[]; notes: ManifestNote[] }> {
  const constraints: DeclaredConstraint[] = [];
  const notes: ManifestNote[] = [];
  for (const relative of files) {
    const file = resolve(baseDir, relative);
    let text: string;
    try {
      text = await readFile(file, { encoding: 'utf8', signal });
    } catch (error) {
      if (signal.aborted) throw error;
      const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      throw new UfError('not_found', `cannot read the packument (${reason})`, { file }, { cause: error });
    }
    const packument = readJson(packumentSchema, text, file, 'an npm registry packument with "name" and "versions"');
    if (packument.name.toLowerCase() !== pkg.name.toLowerCase()) continue;
    const entry = pkg.version === undefined ? undefined : packument.versions[pkg.version];
    if (entry === undefined) {
      const text = pkg.version === undefined ? `the installed version of ${pkg.name} is not known, so its packument was not read` : `${pkg.name}@${pkg.version} is not in the packument`;
      notes.push({ ruleId: 'packument-version-missing', level: 'warning', text, location: file, on: '*' });
      continue;
    }
    constraints.push(...npmConstraints(entry, `${pkg.name}@${pkg.version ?? ''}`, file, undefined, ['peer-range', 'engine-range']));
  }
  return { constraints, notes };
}
