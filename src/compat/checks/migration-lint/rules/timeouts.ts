import type { Node } from 'libpg-query';
import type { LintContext } from '../context.js';
import type { MigrationStatement, RuleHit } from '../types.js';

/**
 * A statement that waits for a strong lock on a table in use queues behind any long query, and
 * every query after it queues behind it: without lock_timeout a harmless ALTER TABLE stalls all
 * traffic to the table. Reported once per file, at the first such statement.
 */
export function checkLockTimeout(statement: MigrationStatement, context: LintContext): RuleHit[] {
  if (context.lockTimeoutSet || context.lockTimeoutWarned || !takesStrongLock(statement.node, context)) return [];
  context.lockTimeoutWarned = true;
  return [
    {
      id: 'require-timeout-settings',
      level: 'warning',
      text: 'locks a table in use without a lock_timeout: while it waits behind a long query, every query on the table waits behind it',
      alternative: "SET lock_timeout = '2s' (and a statement_timeout) at the top of the migration, and retry the migration when it times out",
    },
  ];
}

/** True for statements that take ACCESS EXCLUSIVE or SHARE on a table the migration did not create. */
function takesStrongLock(node: Node, context: LintContext): boolean {
  if ('AlterTableStmt' in node) return !context.isNewTable(node.AlterTableStmt.relation);
  if ('RenameStmt' in node) return node.RenameStmt.relation !== undefined && !context.isNewTable(node.RenameStmt.relation);
  if ('IndexStmt' in node) return !node.IndexStmt.concurrent && !context.isNewTable(node.IndexStmt.relation);
  if ('DropStmt' in node) return (node.DropStmt.removeType === 'OBJECT_TABLE' || node.DropStmt.removeType === 'OBJECT_INDEX') && !node.DropStmt.concurrent;
  if ('ReindexStmt' in node) return !(node.ReindexStmt.params ?? []).some((p) => 'DefElem' in p && p.DefElem.defname === 'concurrently');
  if ('RefreshMatViewStmt' in node) return !node.RefreshMatViewStmt.concurrent && !context.isNewTable(node.RefreshMatViewStmt.relation);
  return 'AlterDomainStmt' in node || 'TruncateStmt' in node || 'ClusterStmt' in node;
}
