import { isUfError } from '../../../core/errors.js';
import { inputLimit, readInput, type InputLimit } from '../../../core/input/index.js';
import { documentEvents, emitEach, fileError } from '../events.js';
import type { AdvisorySource, ReadOptions, SourceEvent } from '../types.js';

/** One JSON file holding one OSV record or an array of them. A missing file throws `not_found`. */
export class OsvFileSource implements AdvisorySource {
  readonly name: string;

  /** `limit`: the most bytes the document may have (`limits.advisory`); past it the read throws `input_too_large`. */
  constructor(
    private readonly file: string,
    private readonly limit: InputLimit = inputLimit('advisory'),
  ) {
    this.name = `osv-file:${file}`;
  }

  async *read(options: ReadOptions = {}): AsyncIterable<SourceEvent> {
    const { signal } = options;
    signal?.throwIfAborted();
    let bytes: Buffer;
    try {
      bytes = await readInput(this.file, this.limit, signal ? { signal } : {});
    } catch (error) {
      signal?.throwIfAborted();
      if (isUfError(error)) throw error;
      throw fileError(error, this.file);
    }
    yield* emitEach(documentEvents(this.name, bytes, this.file), options);
  }
}
