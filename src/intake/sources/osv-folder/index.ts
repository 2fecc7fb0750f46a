import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { inputLimit, readInput, type InputLimit } from '../../../core/input/index.js';
import { documentEvents, errorEvent, fileError } from '../events.js';
import type { AdvisorySource, ReadOptions, SourceEvent } from '../types.js';

/**
 * A folder tree of OSV JSON files (a clone of an advisory database, an unpacked export): every
 * `*.json` below it, in path order. Hidden entries (`.git`) are skipped and symbolic links to
 * folders are not followed, so a link cycle cannot loop. A broken file becomes one error event.
 */
const readAhead = 32;

export class OsvFolderSource implements AdvisorySource {
  readonly name: string;

  /** `limit`: the most bytes one file may have (`limits.advisory`); a larger file is one error event. */
  constructor(
    private readonly folder: string,
    private readonly limit: InputLimit = inputLimit('advisory'),
  ) {
    this.name = `osv-folder:${folder}`;
  }

  async *read(options: ReadOptions = {}): AsyncIterable<SourceEvent> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    const files = await listJsonFiles(this.folder);
    // Reads run a few files ahead of parsing: with one awaited read at a time the CPU sat idle for
    // each file's open/stat/read/close round trips (measured: 1.5 s idle in 2.6 s for 20,500 files).
    const ahead = new Map<number, Promise<Buffer | Error>>();
    for (const [index, file] of files.entries()) {
      signal?.throwIfAborted();
      for (let k = index; k < Math.min(files.length, index + readAhead); k++) {
        if (!ahead.has(k)) ahead.set(k, readInput(files[k]!, this.limit).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
      }
      const bytes = await ahead.get(index)!;
      ahead.delete(index);
      if (bytes instanceof Error) {
        yield errorEvent(this.name, bytes, file);
        onProgress?.(index + 1, files.length);
        continue;
      }
      yield* documentEvents(this.name, bytes, file);
      onProgress?.(index + 1, files.length);
    }
  }
}

/** Every `*.json` file below `root`, sorted; a missing or unreadable root throws `not_found`. */
export async function listJsonFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [root];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (folder === root) throw fileError(error, root);
      continue; // A subfolder that vanished or cannot be listed holds nothing we can read.
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (/\.json$/i.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(full))))) {
        found.push(full);
      }
    }
  }
  return found.sort();
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
