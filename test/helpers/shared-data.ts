import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared public test data (../shared/data next to the checkout, or UF_SHARED_DATA). A user's
 * clone has none: tests that need it skip, and say why in their name, instead of failing.
 */
export const sharedDataRoot: string = process.env.UF_SHARED_DATA ? process.env.UF_SHARED_DATA.replace(/\/$/, '') : fileURLToPath(new URL('../../../shared/data', import.meta.url));

export interface SharedData {
  /** Absolute path of the part asked for. */
  dir: string;
  available: boolean;
  /** '' when available, else ' (skipped: … not found)', to append to a describe or test name. */
  skipNote: string;
  /** A file or folder inside it. */
  path(...parts: string[]): string;
}

/** One part of the shared data (`lockfiles`, `sbom/spdx`), whether it is there, and the skip note. */
export function sharedData(part = ''): SharedData {
  const dir = part === '' ? sharedDataRoot : join(sharedDataRoot, part);
  const available = existsSync(dir);
  return {
    dir,
    available,
    skipNote: available ? '' : ` (skipped: shared test data not found at ${dir}; set UF_SHARED_DATA or put it at ../shared/data)`,
    path: (...parts) => join(dir, ...parts),
  };
}
