import { readFile } from 'node:fs/promises';
import { documentEvents, emitEach, fileError } from '../events.js';
import type { AdvisorySource, ReadOptions, SourceEvent } from '../types.js';

/** One JSON file holding one OSV record or an array of them. A missing file throws `not_found`. */
export class OsvFileSource implements AdvisorySource {
  readonly name: string;

  constructor(private readonly file: string) {
    this.name = `osv-file:${file}`;
  }

  async *read(options: ReadOptions = {}): AsyncIterable<SourceEvent> {
    const { signal } = options;
    signal?.throwIfAborted();
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file, signal ? { signal } : {});
    } catch (error) {
      signal?.throwIfAborted();
      throw fileError(error, this.file);
    }
    yield* emitEach(documentEvents(this.name, bytes, this.file), options);
  }
}
