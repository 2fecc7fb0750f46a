import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UfError } from '../../../core/errors.js';
import { stripBom } from '../../../core/json-text.js';
import { readComposerJson, readComposerLock } from './composer.js';
import { readGemfileLock } from './gemfile-lock.js';
import { readPom } from './maven-pom.js';
import { readPackageJson, readPackageLock } from './npm.js';
import { readCoreMetadata, readRequirementsTxt } from './python.js';
import type { ManifestDeclarations } from './types.js';
import { readWordpressHeaders } from './wordpress.js';

type Reader = (text: string, file: string) => ManifestDeclarations;

/** Manifest readers by file name; the one place a new format is added. */
const readers: readonly (readonly [test: (name: string) => boolean, read: Reader])[] = [
  [(name) => name === 'package.json', readPackageJson],
  [(name) => name === 'package-lock.json' || name === 'npm-shrinkwrap.json', readPackageLock],
  [(name) => name === 'composer.json', readComposerJson],
  [(name) => name === 'composer.lock', readComposerLock],
  [(name) => name === 'Gemfile.lock' || name === 'gems.locked', readGemfileLock],
  [(name) => name === 'METADATA' || name === 'PKG-INFO', readCoreMetadata],
  [(name) => /^requirements.*\.txt$/.test(name), readRequirementsTxt],
  [(name) => name === 'pom.xml' || name.endsWith('.pom'), readPom],
  [(name) => name === 'readme.txt' || name === 'style.css' || name.endsWith('.php'), readWordpressHeaders],
];

export const knownManifests =
  'package.json, package-lock.json, composer.json, composer.lock, Gemfile.lock, METADATA, PKG-INFO, requirements*.txt, pom.xml, a WordPress readme.txt, style.css or plugin .php';

/** Whether a file is a lockfile: its locked packages can be rows of their own. */
export const isLockfile = (file: string): boolean => ['package-lock.json', 'npm-shrinkwrap.json', 'composer.lock', 'Gemfile.lock', 'gems.locked'].includes(basename(file));

/** Reads and parses one manifest. Unknown name, unreadable file or malformed content: UfError naming the file. */
export async function readManifest(file: string, signal?: AbortSignal): Promise<ManifestDeclarations> {
  const name = basename(file);
  const reader = readers.find(([test]) => test(name))?.[1];
  if (reader === undefined) throw new UfError('usage', `unknown manifest ${name}: expected one of ${knownManifests}`, { file });
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', ...(signal === undefined ? {} : { signal }) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw unreadable(file, error);
  }
  return reader(stripBom(text), file);
}

function unreadable(file: string, error: unknown): UfError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return new UfError('not_found', `cannot read the manifest (${reason})`, { file }, { cause: error });
}

/**
 * The last few manifests read, by path, modification time and size. A matrix asks about one
 * service's lockfile once per extension row, and a large package-lock.json takes a tenth of a
 * second to read; a changed file has a new time or size and is read again. Readings are shared:
 * callers do not modify them. Errors are not kept, so a fixed file is read on the next cell.
 */
export class ManifestCache {
  private readonly entries = new Map<string, ManifestDeclarations>();

  constructor(private readonly limit = 32) {}

  async read(file: string, signal?: AbortSignal): Promise<ManifestDeclarations> {
    let key: string;
    try {
      const stats = await stat(file);
      key = `${file}\u0000${stats.mtimeMs}\u0000${stats.size}`;
    } catch (error) {
      if (signal?.aborted) throw error;
      if (!readers.some(([test]) => test(basename(file)))) return readManifest(file, signal); // the unknown-format message
      throw unreadable(file, error);
    }
    const known = this.entries.get(key);
    if (known !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    const reading = await readManifest(file, signal);
    this.entries.set(key, reading);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limit) break;
      this.entries.delete(oldest);
    }
    return reading;
  }
}
