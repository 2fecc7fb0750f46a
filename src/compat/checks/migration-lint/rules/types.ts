import type { ColumnDef, Node } from 'libpg-query';
import type { MigrationStatement, RuleHit } from '../types.js';
import { lastName } from './columns.js';

const int4Types: ReadonlySet<string> = new Set(['int4', 'serial', 'serial4']);

/**
 * 32-bit integer ids run out at 2.1 billion, and widening one later is a rewrite
 * (changing-column-type). Advice, on new tables and new columns alike.
 */
export function checkColumnTypes(statement: MigrationStatement): RuleHit[] {
  const node = statement.node;
  const columns: ColumnDef[] = [];
  if ('CreateStmt' in node) columns.push(...columnDefs(node.CreateStmt.tableElts));
  if ('AlterTableStmt' in node) {
    for (const item of node.AlterTableStmt.cmds ?? []) {
      if ('AlterTableCmd' in item && item.AlterTableCmd.subtype === 'AT_AddColumn') columns.push(...columnDefs(item.AlterTableCmd.def ? [item.AlterTableCmd.def] : []));
    }
  }
  return columns
    .filter((column) => int4Types.has(lastName(column.typeName?.names)))
    .map((column) => ({
      id: 'prefer-bigint-over-int',
      level: 'warning' as const,
      text: `${column.colname ?? ''} is a 32-bit ${lastName(column.typeName?.names)}: ids and counters can run out at 2,147,483,647, and widening later rewrites the table`,
      alternative: 'use bigint (or bigserial / GENERATED ... AS IDENTITY on bigint)',
    }));
}

function columnDefs(nodes: Node[] | undefined): ColumnDef[] {
  return (nodes ?? []).flatMap((n) => ('ColumnDef' in n ? [n.ColumnDef] : []));
}
