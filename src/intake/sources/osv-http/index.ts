import { open } from 'node:fs/promises';
import { gunzipInput, inputLimit, isGzip, readInput, type InputLimit } from '../../../core/input/index.js';
import { documentEvents, emitEach, errorEvent } from '../events.js';
import { fetchToCache, type CachedFetchOptions, type CachedResponse } from '../http-cache/index.js';
import { readZipEvents } from '../osv-zip/index.js';
import type { AdvisorySource, ReadOptions, SourceEvent } from '../types.js';

export type OsvHttpOptions = Omit<CachedFetchOptions, 'signal'> & {
  /** The most bytes a JSON body may have, after gunzip (`limits.advisory`); zip entries are bounded alike. */
  limit?: InputLimit;
};

/**
 * An HTTP(S) URL serving one OSV record, a JSON array of records, or an `all.zip` export (told
 * apart by the body's first bytes, not its name; a gzip-compressed JSON body is inflated). Every
 * read revalidates against the server with ETag / Last-Modified; a 304 reads the cached copy.
 * HTTP failures throw (see `fetchToCache`); problems inside the content are error events.
 */
export class OsvHttpSource implements AdvisorySource {
  readonly name: string;
  readonly url: string;
  /** What the last read got from the server: `fetched` or `not-modified`, and the validators. */
  lastFetch: CachedResponse | undefined;

  constructor(url: string | URL, private readonly options: OsvHttpOptions) {
    this.url = url.toString();
    this.name = `osv-http:${this.url}`;
  }

  async *read(options: ReadOptions = {}): AsyncIterable<SourceEvent> {
    const { limit = inputLimit('advisory'), ...cacheOptions } = this.options;
    const fetchOptions: CachedFetchOptions = { ...cacheOptions };
    if (options.signal) fetchOptions.signal = options.signal;
    const fetched = await fetchToCache(this.url, fetchOptions);
    this.lastFetch = fetched;
    const magic = await firstBytes(fetched.path, 4);
    if (isZip(magic)) {
      yield* readZipEvents(fetched.path, this.url, this.name, options, limit);
      return;
    }
    let bytes = await readInput(fetched.path, limit, { label: this.url });
    if (isGzip(magic)) {
      try {
        bytes = await gunzipInput(bytes, limit, this.url);
      } catch (error) {
        yield errorEvent(this.name, error, this.url);
        return;
      }
    }
    yield* emitEach(documentEvents(this.name, bytes, this.url), options);
  }
}

function isZip(magic: Uint8Array): boolean {
  // Local file header, or the end-of-directory record an empty archive starts with.
  return magic[0] === 0x50 && magic[1] === 0x4b && ((magic[2] === 3 && magic[3] === 4) || (magic[2] === 5 && magic[3] === 6));
}

async function firstBytes(file: string, count: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
