import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { UfError } from '../../../core/errors.js';

/**
 * Replaces the file in one step (write beside it, then rename), so nginx never reads half a file.
 * The temporary name does not end in `.conf`, so an `include …/*.conf` glob never picks it up,
 * and is unique per write (process id and a random part), so concurrent writers never share it.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temporary = `${path}.uf-${process.pid}-${randomUUID()}.tmp`;
  await writeFile(temporary, content, { mode: 0o644 });
  await rename(temporary, path);
}

export async function readIncludeFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UfError('not_found', 'the nginx include file is missing: write it with renderNginxInclude first', { file: path }, { cause: error });
  }
}
