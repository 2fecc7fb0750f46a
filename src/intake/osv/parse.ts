import type { z } from 'zod';
import { UfError, type InputLocation } from '../../core/errors.js';
import { formatKeyPath } from '../../core/key-path.js';
import { parseJsonText, type JsonPath } from '../../core/json-text.js';
import { jsonLocator } from './json.js';
import { contentHash } from './content-hash.js';
import { toAdvisory } from './normalize.js';
import { osvRecordSchema } from './schema.js';
import { unreadableVersions } from './version-check.js';
import type { Advisory } from './types.js';

/** Where a record came from, for error messages: the file (or URL, or `zip!/entry`) and its name in a batch. */
export interface RecordLocation {
  file: string;
  /** Used when the record has no string `id` to name it by, e.g. `[3]` or a zip entry name. */
  record?: string;
}

/**
 * One record of a document: its advisory, or the problem that kept it out. A record kept with
 * `warnings` is valid OSV but names versions its ecosystem cannot read (see `unreadableVersions`):
 * it is kept, matched conservatively, and its warnings must be reported, never dropped.
 */
export type RecordOutcome = { advisory: Advisory; warnings: UfError[]; error?: undefined } | { advisory?: undefined; error: UfError };

/**
 * Validates one OSV record against the OSV schema and normalises it. Throws UfError
 * `import_invalid` naming the file, the record id and the JSON path of the first problem.
 */
export function parseOsvRecord(json: unknown, location: RecordLocation): Advisory {
  return validateRecord(json, { ...location, locator: jsonLocator(location.file, undefined), documentPath: [] });
}

/**
 * Reads a document that holds one OSV record or a JSON array of them. Malformed JSON throws
 * UfError `parse_error` with line and column; a document that is neither object nor array throws
 * `import_invalid`. Each record's problem is returned in its place, so one bad record does not
 * hide the others.
 */
export function parseOsvDocument(text: string, file: string): RecordOutcome[] {
  const json = parseJsonText(text, { file });
  const records = Array.isArray(json) ? json : [json];
  if (!Array.isArray(json) && (json === null || typeof json !== 'object')) {
    throw new UfError('import_invalid', 'not an OSV record: expected a JSON object or an array of them', { file });
  }
  const locator = jsonLocator(file, text);
  return records.map((record: unknown, index): RecordOutcome => {
    const context: RecordContext = Array.isArray(json)
      ? { file, record: `[${index}]`, locator, documentPath: [index] }
      : { file, locator, documentPath: [] };
    try {
      const advisory = validateRecord(record, context);
      return { advisory, warnings: versionWarnings(advisory, context) };
    } catch (error) {
      if (error instanceof UfError) return { error };
      throw error;
    }
  });
}

/** Like `parseOsvDocument`, but all or nothing: the first problem is thrown. */
export function parseOsvText(text: string, file: string): Advisory[] {
  return parseOsvDocument(text, file).map((outcome) => {
    if (outcome.error) throw outcome.error;
    return outcome.advisory;
  });
}

interface RecordContext extends RecordLocation {
  /** Locates a path of the document, with a line and column when the text is known. */
  locator: ReturnType<typeof jsonLocator>;
  /** Path of this record inside the document: `[]` for a lone record, `[3]` in an array. */
  documentPath: JsonPath;
}

function validateRecord(json: unknown, context: RecordContext): Advisory {
  const result = osvRecordSchema.safeParse(json);
  if (!result.success) throw problemAt(result.error.issues[0], json, context);
  try {
    return toAdvisory(result.data, contentHash(json));
  } catch (error) {
    // Canonical JSON recurses; a pathologically deep database_specific exhausts the stack.
    if (!(error instanceof RangeError)) throw error;
    const location = locate(context, recordName(json, context), []);
    throw new UfError('import_invalid', 'record is nested too deeply to read', location, { cause: error });
  }
}

/** One `import_invalid` per version string the package's scheme cannot read, located by record, path and line. */
function versionWarnings(advisory: Advisory, context: RecordContext): UfError[] {
  return unreadableVersions(advisory).map(
    (found) => new UfError('import_invalid', `not a valid ${found.scheme} version: ${JSON.stringify(found.value)}; ${found.consequence}`, locate(context, advisory.id, found.path)),
  );
}

function problemAt(issue: z.core.$ZodIssue | undefined, json: unknown, context: RecordContext): UfError {
  let path: PropertyKey[] = issue ? [...issue.path] : [];
  let message = issue?.message ?? 'unexpected shape';
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    path = [...path, key];
    message = `unknown field "${key}" (the OSV schema allows no other top-level fields)`;
  }
  return new UfError('import_invalid', `not a valid OSV record: ${message}`, locate(context, recordName(json, context), path));
}

function recordName(json: unknown, context: RecordContext): string | undefined {
  const id = json !== null && typeof json === 'object' ? (json as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : context.record;
}

function locate(context: RecordContext, record: string | undefined, path: readonly PropertyKey[]): InputLocation {
  const location = context.locator(record, [...context.documentPath, ...path]);
  // The key path is named within the record; the line was found within the whole document.
  if (path.length > 0) location.path = formatKeyPath(path);
  else delete location.path;
  return location;
}
