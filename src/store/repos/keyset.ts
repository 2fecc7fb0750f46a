import { sql, type Expression, type SqlBool } from 'kysely';

/** Paging by key: rows strictly after `after` in the list's sort order, at most `limit` of them. */
export interface KeysetPage<K> {
  after?: K | undefined;
  limit?: number | undefined;
}

/**
 * `(c1, c2, …) > (v1, v2, …)`: a row-value comparison, which SQLite and PostgreSQL both answer
 * with a range search on an index whose columns are, in order, the sort key (after any columns
 * fixed by equality). Columns fixed by an equality filter must be left out of `columns`, or
 * SQLite stops using the index for the range.
 */
export function rowsAfter(columns: readonly string[], values: readonly (string | number)[]): Expression<SqlBool> {
  if (columns.length !== values.length || columns.length === 0) throw new Error('keyset: columns and values differ in length');
  if (columns.length === 1) return sql<SqlBool>`${sql.ref(columns[0]!)} > ${values[0]}`;
  return sql<SqlBool>`(${sql.join(columns.map((c) => sql.ref(c)))}) > (${sql.join(values)})`;
}
