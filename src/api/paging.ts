import { z } from 'zod';
import { UfError } from '../core/errors.js';
import { defaultPageSize } from './query.js';

/**
 * Opaque cursors for keyset paging: the sort key of the last row of a page, as base64url JSON,
 * tagged with the list it belongs to so that a cursor of one list is refused by another.
 */
export function encodeCursor(list: string, key: readonly string[]): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

export function decodeCursor(list: string, cursor: string, arity: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const values = z.array(z.string()).length(arity + 1).safeParse(parsed);
  if (!values.success || values.data[0] !== list) {
    throw new UfError('usage', `not a next value this list (${list}) returned; omit it for the first page`, { path: 'cursor' });
  }
  return values.data.slice(1);
}

/** The `cursor` query parameter: base64url text, bounded so a huge value is refused before decoding. */
export const cursorParam = z
  .string({ error: 'cursor must be given once' })
  .regex(/^[A-Za-z0-9_-]{1,4096}$/, { error: 'cursor must be the next value of a previous page' })
  .optional()
  .describe('the next value of the previous page; absent for the first page');

/** Page envelope of every keyset list except the log (which keeps its seq-based `after`). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next: z.string().nullable().describe('cursor of the next page; null on the last page'),
  });
}

/**
 * Asks the store for `limit + 1` rows: the extra row tells whether there is a next page without
 * counting. Returns the page and the cursor after its last row (null at the end).
 */
export async function keysetPage<R>(
  limit: number | undefined,
  fetch: (rows: number) => Promise<R[]>,
  cursorOf: (row: R) => string,
): Promise<{ items: R[]; next: string | null }> {
  const size = limit ?? defaultPageSize;
  const rows = await fetch(size + 1);
  const items = rows.slice(0, size);
  return { items, next: rows.length > size ? cursorOf(items.at(-1)!) : null };
}
