import type { LintContext } from '../context.js';
import type { MigrationStatement, RuleHit } from '../types.js';

/**
 * BEGIN inside a transaction, and COMMIT/ROLLBACK inside one the migration tool opened: the
 * first is ignored with a warning by PostgreSQL, the second ends the tool's transaction early so
 * the rest of the file runs outside it. Updates the context's transaction state.
 */
export function checkTransactions(statement: MigrationStatement, context: LintContext): RuleHit[] {
  const node = statement.node;
  if (!('TransactionStmt' in node)) return [];
  const kind = node.TransactionStmt.kind;
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
    const nested = context.inTransaction;
    if (!nested) context.beginTransaction(statement);
    return nested ? [nestingHit('starts a transaction inside an open one: PostgreSQL ignores the BEGIN, so the statements after it are not in the transaction they seem to be in')] : [];
  }
  if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') {
    const toolsOwn = context.inTransaction && context.openBegin === undefined;
    context.endTransaction();
    return toolsOwn ? [nestingHit('ends the transaction the migration tool opened: the rest of the file runs outside it, and the tool\'s own COMMIT finds no transaction')] : [];
  }
  return [];
}

function nestingHit(text: string): RuleHit {
  return {
    id: 'transaction-nesting',
    level: 'error',
    text,
    alternative: 'leave transaction control to the migration tool, or turn its transaction off for this migration and write BEGIN/COMMIT once',
  };
}

/** The finding for a file that ends with a BEGIN it never committed. */
export function uncommittedHit(): RuleHit {
  return {
    id: 'ban-uncommitted-transaction',
    level: 'error',
    text: 'starts a transaction the file never commits: the statements are rolled back when the session ends, or hold their locks until it does',
    alternative: 'end the transaction with COMMIT in the same file',
  };
}
