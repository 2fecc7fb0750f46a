import type { Node } from 'libpg-query';
import type { LintContext } from '../context.js';
import { tableName } from '../context.js';
import type { MigrationStatement, RuleHit } from '../types.js';

/** CONCURRENTLY inside a transaction block: PostgreSQL refuses the statement, so the migration fails. */
function inTransactionHit(id: string, what: string, statement: string): RuleHit {
  return {
    id,
    level: 'error',
    text: `${what} CONCURRENTLY inside a transaction: PostgreSQL refuses CONCURRENTLY inside a transaction block, so the migration fails`,
    alternative: `run ${statement} in a migration of its own, outside any transaction (most tools have a per-migration switch to turn their transaction off)`,
  };
}

/**
 * Indexes created, dropped or rebuilt, and partitions detached, without CONCURRENTLY: each blocks
 * writes (or all access) to the table for as long as it runs. With CONCURRENTLY inside a
 * transaction block the statement fails instead.
 */
export function checkIndexes(statement: MigrationStatement, context: LintContext): RuleHit[] {
  const node = statement.node;
  if ('IndexStmt' in node) {
    const index = node.IndexStmt;
    if (index.concurrent) return context.inTransaction ? [inTransactionHit('ban-concurrent-index-creation-in-transaction', `creates index ${index.idxname ?? '(unnamed)'}`, 'CREATE INDEX CONCURRENTLY')] : [];
    if (context.isNewTable(index.relation)) return [];
    return [
      {
        id: 'require-concurrent-index-creation',
        level: 'error',
        text: `creates index ${index.idxname ?? '(unnamed)'} on ${tableName(index.relation)} without CONCURRENTLY: writes to the table block until the index is built`,
        alternative: 'CREATE INDEX CONCURRENTLY, outside a transaction; if it fails, drop the invalid index and retry',
      },
    ];
  }
  if ('DropStmt' in node && node.DropStmt.removeType === 'OBJECT_INDEX') {
    if (node.DropStmt.concurrent) return context.inTransaction ? [inTransactionHit('ban-concurrent-index-deletion-in-transaction', 'drops an index', 'DROP INDEX CONCURRENTLY')] : [];
    const names = (node.DropStmt.objects ?? []).map(objectName).filter((name) => !context.isNewIndex(name));
    if (names.length === 0) return [];
    return [
      {
        id: 'require-concurrent-index-deletion',
        level: 'error',
        text: `drops index ${names.join(', ')} without CONCURRENTLY: the ACCESS EXCLUSIVE lock on its table blocks reads and writes while queued and held`,
        alternative: 'DROP INDEX CONCURRENTLY, outside a transaction',
      },
    ];
  }
  if ('ReindexStmt' in node) {
    const concurrent = (node.ReindexStmt.params ?? []).some((param) => 'DefElem' in param && param.DefElem.defname === 'concurrently');
    if (concurrent) return context.inTransaction ? [inTransactionHit('ban-concurrent-reindex-in-transaction', 'rebuilds indexes', 'REINDEX CONCURRENTLY')] : [];
    if (node.ReindexStmt.relation && context.isNewTable(node.ReindexStmt.relation)) return [];
    return [
      {
        id: 'require-concurrent-reindex',
        level: 'error',
        text: `rebuilds ${node.ReindexStmt.relation ? tableName(node.ReindexStmt.relation) : 'indexes'} without CONCURRENTLY: writes block for the whole rebuild, and reads that use the index block too`,
        alternative: 'REINDEX ... CONCURRENTLY (PostgreSQL 12+), outside a transaction',
      },
    ];
  }
  if ('AlterTableStmt' in node && !context.isNewTable(node.AlterTableStmt.relation)) return detachHits(node.AlterTableStmt.cmds ?? [], context);
  return [];
}

function detachHits(cmds: Node[], context: LintContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const item of cmds) {
    if (!('AlterTableCmd' in item) || item.AlterTableCmd.subtype !== 'AT_DetachPartition') continue;
    const def = item.AlterTableCmd.def;
    const partition = def && 'PartitionCmd' in def ? def.PartitionCmd : undefined;
    const name = tableName(partition?.name);
    if (partition?.concurrent) {
      if (context.inTransaction) hits.push(inTransactionHit('ban-concurrent-detach-partition-in-transaction', `detaches partition ${name}`, 'DETACH PARTITION ... CONCURRENTLY'));
      continue;
    }
    hits.push({
      id: 'require-concurrent-detach-partition',
      level: 'error',
      text: `detaches partition ${name} without CONCURRENTLY: the parent table is locked ACCESS EXCLUSIVE, blocking every query on it`,
      alternative: 'ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+), outside a transaction',
    });
  }
  return hits;
}

function objectName(object: Node): string {
  const items = 'List' in object ? (object.List.items ?? []) : [];
  return items.flatMap((item) => ('String' in item && item.String.sval !== undefined ? [item.String.sval] : [])).join('.');
}
