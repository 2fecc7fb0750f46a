import type { UfError } from '../../core/errors.js';
import type { Advisory } from '../osv/types.js';

export interface ReadOptions {
  /** Stops the read between records; the iterator then throws the signal's reason. */
  signal?: AbortSignal;
  /** Called as records (or files, or zip entries) are done; `total` when it is known up front. */
  onProgress?: (done: number, total?: number) => void;
}

/** Where an item or a problem came from: a file, a URL or `archive.zip!/entry`, and the record in it. */
export interface SourceLocation {
  file: string;
  record?: string;
}

/**
 * What a read yields, in source order:
 * - `advisory`: a valid record. Withdrawn ones are yielded too, with `advisory.withdrawn` set, so the
 *   pipeline can retire their findings; `advisory.contentHash` lets it skip records it already has.
 *   `warnings` (when present and not empty) name versions in the record its ecosystem cannot read:
 *   the record is kept and matched conservatively, but it counts as invalid and must be reported.
 * - `error`: one record, line, file or zip entry that could not be read. The read goes on after it.
 *   `error` is a UfError whose location names the place: `parse_error` (not JSON, not UTF-8),
 *   `import_invalid` (not a valid record, a bad zip entry) or `not_found` (a file in a folder that
 *   vanished or cannot be opened).
 */
export type SourceEvent =
  | { type: 'advisory'; source: string; advisory: Advisory; location: SourceLocation; warnings?: UfError[] }
  | { type: 'error'; source: string; error: UfError };

/**
 * Where OSV advisories come from: a file, a folder, an `all.zip` export, a URL. One folder per
 * implementation, registered in `index.ts`; each passes the shared suite in
 * `advisory-source.contract.ts`.
 *
 * The rule for problems: what is wrong inside the content (a malformed record, a broken file in a
 * folder, a bad zip entry) is yielded as an `error` event and the read goes on; what keeps the
 * whole source out of reach (a missing path, an archive that is no zip, an HTTP failure) is thrown
 * as a UfError before or during the iteration. A source that threw has said nothing about the
 * advisories it did not yield.
 */
export interface AdvisorySource {
  /** Stable, human-readable name for logs and error reports, e.g. `osv-folder:/data/osv`. */
  readonly name: string;
  /** Reads the source from its start; each call reads afresh (a URL is revalidated, a folder re-listed). */
  read(options?: ReadOptions): AsyncIterable<SourceEvent>;
}
