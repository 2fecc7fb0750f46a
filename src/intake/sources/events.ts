/** Helpers every advisory source shares: a document's bytes to events, and I/O failures to UfError. */
import { UfError } from '../../core/errors.js';
import { decodeInputText } from '../../core/input/index.js';
import { parseOsvDocument } from '../osv/parse.js';
import type { ReadOptions, SourceEvent } from './types.js';

/**
 * Bytes as text under the rule every reader shares (a byte-order mark is dropped); bytes that
 * are not UTF-8 are a `parse_error` for `file` naming the offset of the first bad one.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  return decodeInputText(bytes, file);
}

/**
 * The events of one document (one record or an array of them): an `advisory` per valid record,
 * an `error` per invalid one, or a single `error` when the document itself cannot be read.
 */
export function documentEvents(source: string, bytes: Uint8Array, file: string): SourceEvent[] {
  try {
    return parseOsvDocument(decodeUtf8(bytes, file), file).map((outcome): SourceEvent => {
      if (outcome.error) return { type: 'error', source, error: outcome.error };
      const event: SourceEvent = { type: 'advisory', source, advisory: outcome.advisory, location: { file, record: outcome.advisory.id } };
      return outcome.warnings.length > 0 ? { ...event, warnings: outcome.warnings } : event;
    });
  } catch (error) {
    if (error instanceof UfError) return [{ type: 'error', source, error }];
    throw error;
  }
}

/** A file-system failure as UfError: `not_found` for a missing path, with the system's reason otherwise. */
export function fileError(error: unknown, file: string): UfError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new UfError('not_found', 'no such file or folder', { file }, { cause: error });
  const reason = error instanceof Error ? error.message : String(error);
  return new UfError('not_found', `cannot read: ${reason}`, { file }, { cause: error });
}

/** An error event for a problem found outside any record (an unreadable file, a bad zip entry). */
export function errorEvent(source: string, error: unknown, file: string): SourceEvent {
  return { type: 'error', source, error: error instanceof UfError ? error : fileError(error, file) };
}

/** Yields a document's events in order, checking for abort and reporting progress per event. */
export async function* emitEach(events: readonly SourceEvent[], options: ReadOptions): AsyncIterable<SourceEvent> {
  for (const [index, event] of events.entries()) {
    options.signal?.throwIfAborted();
    yield event;
    options.onProgress?.(index + 1, events.length);
  }
}
