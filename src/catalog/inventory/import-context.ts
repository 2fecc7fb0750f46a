import type { z } from 'zod';
import { UfError } from '../../core/errors.js';
import { formatKeyPath } from '../../core/key-path.js';
import { lineColumnAt, scanJson, type JsonPath } from '../../core/json-text.js';

/** What an importer knows about its input besides the parsed value, to say where a problem is. */
export interface ImportContext {
  file: string;
  /** The JSON text the value came from; with it, errors also name a line and column. */
  text?: string;
}

/** An `import_invalid` error located at `path` (and its line, when the text is known). */
export function invalidInput(context: ImportContext, message: string, path: JsonPath = []): UfError {
  const location: UfError['location'] = { file: context.file };
  if (path.length > 0) location.path = formatKeyPath(path);
  if (context.text !== undefined) {
    const offset = scanJson(context.text, path).pathOffset;
    if (offset !== undefined) Object.assign(location, lineColumnAt(context.text, offset));
  }
  return new UfError('import_invalid', message, location);
}

/** Validates outside input at the boundary; the first problem becomes a located UfError. */
export function parseWithSchema<T>(schema: z.ZodType<T>, value: unknown, context: ImportContext, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const detail = issue?.message ?? 'unexpected shape';
  throw invalidInput(context, `not a valid ${what}: ${detail}`, path);
}
