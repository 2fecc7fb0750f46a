import yauzl from 'yauzl';
import { UfError, isUfError } from '../../../core/errors.js';
import { collectInput, formatBytes, inputLimit, tooLarge, type InputLimit } from '../../../core/input/index.js';
import { documentEvents, errorEvent, fileError } from '../events.js';
import type { AdvisorySource, ReadOptions, SourceEvent } from '../types.js';

/**
 * An OSV `all.zip` export: entries `<ID>.json`, one record each. Entries are read one at a time
 * from the archive's central directory, each inflated once into memory and parsed, so memory
 * stays at one record however large the archive is. Entries that are not `*.json` are skipped.
 */
export class OsvZipSource implements AdvisorySource {
  readonly name: string;

  /**
   * `limit`: the most bytes one entry may inflate to (`limits.advisory`). An entry declaring more
   * is reported, not read; one inflating past what it declared is stopped there. OSV records are
   * kilobytes, a bomb is not.
   */
  constructor(
    private readonly file: string,
    private readonly limit: InputLimit = inputLimit('advisory'),
  ) {
    this.name = `osv-zip:${file}`;
  }

  read(options: ReadOptions = {}): AsyncIterable<SourceEvent> {
    return readZipEvents(this.file, this.file, this.name, options, this.limit);
  }
}

/**
 * The events of the zip archive at `file`, locations named `<label>!/<entry>` (`label` is the
 * file, or the URL it was downloaded from). An archive that cannot be opened throws UfError.
 */
export async function* readZipEvents(
  file: string,
  label: string,
  source: string,
  options: ReadOptions,
  limit: InputLimit = inputLimit('advisory'),
): AsyncIterable<SourceEvent> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const zip = await openZip(file, label);
  try {
    let done = 0;
    for (let entry = await nextEntry(zip, label); entry !== undefined; entry = await nextEntry(zip, label)) {
      signal?.throwIfAborted();
      done += 1;
      const where = `${label}!/${entry.fileName}`;
      if (!entry.fileName.endsWith('/') && /\.json$/i.test(entry.fileName)) yield* await entryEvents(zip, entry, where, source, limit);
      onProgress?.(done, zip.entryCount);
    }
  } finally {
    zip.close();
  }
}

async function entryEvents(zip: yauzl.ZipFile, entry: yauzl.Entry, where: string, source: string, limit: InputLimit): Promise<SourceEvent[]> {
  if (entry.uncompressedSize > limit.maxBytes) {
    const size = `the zip entry says it inflates to ${formatBytes(entry.uncompressedSize)} (${entry.uncompressedSize} bytes), more than`;
    return [errorEvent(source, tooLarge(limit, where, size), where)];
  }
  try {
    return documentEvents(source, await readEntry(zip, entry, limit, where), where);
  } catch (error) {
    if (isUfError(error)) return [errorEvent(source, error, where)];
    const reason = error instanceof Error ? error.message : String(error);
    return [errorEvent(source, new UfError('import_invalid', `cannot read zip entry: ${reason}`, { file: where }, { cause: error }), where)];
  }
}

/** The entry's bytes, counted as they inflate: its declared size is the archive's word, not a bound. */
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: InputLimit, where: string): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  return collectInput(stream, limit, where, 'the zip entry inflates past');
}

async function openZip(file: string, label: string): Promise<yauzl.ZipFile> {
  try {
    const zip = await yauzl.openPromise(file, { autoClose: false, lazyEntries: true });
    // yauzl forwards a failure to close the file as an 'error' event; with no listener that would
    // crash the process. Reads have their own listener (nextEntry), so this one only keeps it alive.
    zip.on('error', () => undefined);
    return zip;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw fileError(error, label);
    const reason = error instanceof Error ? error.message : String(error);
    throw new UfError('import_invalid', `not a readable zip archive: ${reason}`, { file: label }, { cause: error });
  }
}

/** The next central-directory entry, or undefined at the end; a damaged directory is a located UfError. */
function nextEntry(zip: yauzl.ZipFile, label: string): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry): void => finish(() => resolve(entry));
    const onEnd = (): void => finish(() => resolve(undefined));
    const onError = (error: Error): void =>
      finish(() => reject(new UfError('import_invalid', `damaged zip archive: ${error.message}`, { file: label }, { cause: error })));
    const finish = (settle: () => void): void => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      settle();
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}
