import type { Node, RangeVar } from 'libpg-query';
import type { LintContext } from '../context.js';
import { tableName } from '../context.js';
import type { MigrationStatement, RuleHit } from '../types.js';

/** Dropping, renaming and truncating tables that the version still serving uses. */
export function checkTables(statement: MigrationStatement, context: LintContext): RuleHit[] {
  const node = statement.node;
  if ('DropStmt' in node && node.DropStmt.removeType === 'OBJECT_TABLE') {
    const old = (node.DropStmt.objects ?? []).map(rangeVarOf).filter((relation) => !context.isNewTable(relation));
    if (old.length === 0) return [];
    return [
      {
        id: 'ban-drop-table',
        level: 'error',
        text: `drops ${old.map(tableName).join(', ')}: the version still serving queries it and fails, and the data is gone for a rollback`,
        alternative: 'deploy a version that no longer uses the table, finish the rollout, then drop it in a later migration (or rename it aside first and drop it after a grace period)',
      },
    ];
  }
  if ('RenameStmt' in node && node.RenameStmt.renameType === 'OBJECT_TABLE' && !context.isNewTable(node.RenameStmt.relation)) {
    const { relation, newname } = node.RenameStmt;
    return [
      {
        id: 'renaming-table',
        level: 'error',
        text: `renames ${tableName(relation)} to ${newname ?? ''}: the version still serving queries the old name and fails`,
        alternative: `create ${newname ?? 'the new table'} and write to both from the new version (or rename and leave a view with the old name), switch reads, and drop the old name in a later migration`,
      },
    ];
  }
  if ('DropdbStmt' in node) {
    return [
      {
        id: 'ban-drop-database',
        level: 'error',
        text: `drops database ${node.DropdbStmt.dbname ?? ''}: every version using it fails`,
        alternative: 'drop a database by hand after every service has stopped using it, not in a migration',
      },
    ];
  }
  if ('TruncateStmt' in node && node.TruncateStmt.behavior === 'DROP_CASCADE') {
    return [
      {
        id: 'ban-truncate-cascade',
        level: 'error',
        text: 'truncates with CASCADE: every table with a foreign key to it is emptied as well, whichever they are at run time',
        alternative: 'truncate the tables you mean by name, children first',
      },
    ];
  }
  return [];
}

/** A dropped object's name list (`schema.table` or `table`) as a RangeVar. */
function rangeVarOf(object: Node): RangeVar {
  const items = 'List' in object ? (object.List.items ?? []) : [];
  const names = items.flatMap((item) => ('String' in item && item.String.sval !== undefined ? [item.String.sval] : []));
  const relname = names[names.length - 1] ?? '';
  return names.length > 1 ? { schemaname: names[names.length - 2]!, relname } : { relname };
}
