import { CompiledQuery, sql, type KyselyPlugin, type RootOperationNode, type QueryId } from 'kysely';
import type { Db } from '../../src/store/db.js';
import type { Store } from '../../src/store/open.js';

/** A view of a store's database that records every query it runs, compiled, for plans and counts. */
export function recordingDb(db: Db): { db: Db; queries: CompiledQuery[] } {
  const queries: CompiledQuery[] = [];
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }: { node: RootOperationNode; queryId: QueryId }) {
      queries.push(db.getExecutor().compileQuery(node, queryId));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { db: db.withPlugin(plugin), queries };
}

/**
 * The plan of a query, as lines. SQLite: EXPLAIN QUERY PLAN. PostgreSQL: EXPLAIN with sequential
 * scans, bitmap scans and sorts disabled (a disabled kind still appears when nothing else can answer),
 * so that on a small test table the plan shows whether an index can answer the query in key order
 * rather than what is cheapest on a few rows.
 */
export async function planOf(store: Store, query: CompiledQuery): Promise<string[]> {
  if (store.dialect === 'sqlite') {
    const result = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    return result.rows.map((r) => r.detail);
  }
  return store.db.connection().execute(async (conn) => {
    await sql`set enable_seqscan = off`.execute(conn);
    await sql`set enable_bitmapscan = off`.execute(conn);
    await sql`set enable_sort = off`.execute(conn);
    try {
      const result = await conn.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
      return result.rows.map((r) => r['QUERY PLAN']);
    } finally {
      await sql`reset enable_seqscan`.execute(conn);
      await sql`reset enable_bitmapscan`.execute(conn);
      await sql`reset enable_sort`.execute(conn);
    }
  });
}

/** Plan lines that mean the rows are not read by a range search in key order: a full scan or a sort. */
export function scanLines(dialect: Store['dialect'], plan: string[]): string[] {
  return dialect === 'sqlite'
    ? plan.filter((line) => /^SCAN /.test(line) || /TEMP B-TREE/.test(line))
    : plan.filter((line) => /Seq Scan|Sort|Disabled: true/.test(line));
}
