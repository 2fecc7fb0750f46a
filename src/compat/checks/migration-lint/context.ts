import type { Node, RangeVar } from 'libpg-query';
import type { LintOptions, MigrationStatement } from './types.js';

/** A constraint added NOT VALID earlier in the file, waiting for its VALIDATE. */
interface PendingConstraint {
  table: string;
  /** The transaction block it was added in, or undefined outside one. */
  transaction: number | undefined;
  /** For `CHECK (col IS NOT NULL)`: the column it proves non-null once validated. */
  notNullColumn: string | undefined;
}

/**
 * What the statements before the current one established, which changes whether a statement is
 * harmful: a table created in this migration has no readers and no rows yet, a VALIDATE in the
 * same transaction as its NOT VALID add keeps the add's lock, and SET NOT NULL after a validated
 * `CHECK (col IS NOT NULL)` needs no scan (PostgreSQL 12+).
 */
export class LintContext {
  private readonly createdTables = new Set<string>();
  private readonly createdIndexes = new Set<string>();
  private readonly pending = new Map<string, PendingConstraint>();
  private readonly provenNotNull = new Set<string>();
  private transactionNumber = 0;
  /** The open transaction block's number, or undefined outside one. */
  transaction: number | undefined;
  /** A lock_timeout is in force: SET for the session, or SET LOCAL in the open transaction. */
  lockTimeoutSet = false;
  private lockTimeoutLocal = false;
  /** The missing lock_timeout has been reported (once per file is enough). */
  lockTimeoutWarned = false;
  /** Where the open explicit BEGIN is, for a file that never commits. */
  openBegin: MigrationStatement | undefined;

  constructor(readonly options: LintOptions) {
    if (options.assumeInTransaction) this.transaction = ++this.transactionNumber;
  }

  /** True inside a transaction block (explicit, or the tool's with assumeInTransaction). */
  get inTransaction(): boolean {
    return this.transaction !== undefined;
  }

  /** True when the table was created earlier in this migration (so nothing reads it yet). */
  isNewTable(relation: RangeVar | undefined): boolean {
    return relation !== undefined && this.createdTables.has(tableKey(relation));
  }

  /** True when the index was created earlier in this migration on a table the migration created. */
  isNewIndex(name: string): boolean {
    return this.createdIndexes.has(name);
  }

  /** True when a validated CHECK (column IS NOT NULL) on the table exists earlier in the file. */
  hasValidatedNotNull(relation: RangeVar | undefined, column: string): boolean {
    return relation !== undefined && this.provenNotNull.has(`${tableKey(relation)}.${column}`);
  }

  /** The constraint `name` on the table, when it was added NOT VALID earlier and not validated since. */
  pendingConstraint(relation: RangeVar | undefined, name: string): PendingConstraint | undefined {
    return relation ? this.pending.get(`${tableKey(relation)}.${name}`) : undefined;
  }

  /** An explicit BEGIN opens a transaction block. */
  beginTransaction(statement: MigrationStatement): void {
    this.transaction = ++this.transactionNumber;
    this.openBegin = statement;
  }

  /** COMMIT or ROLLBACK closes it, and with it any SET LOCAL lock_timeout. */
  endTransaction(): void {
    if (this.lockTimeoutLocal) this.lockTimeoutSet = false;
    this.lockTimeoutLocal = false;
    this.transaction = undefined;
    this.openBegin = undefined;
  }

  /** Records what a statement establishes, after the rules have looked at it. */
  record(node: Node): void {
    if ('CreateStmt' in node && node.CreateStmt.relation) this.createdTables.add(tableKey(node.CreateStmt.relation));
    if ('CreateTableAsStmt' in node && node.CreateTableAsStmt.into?.rel) this.createdTables.add(tableKey(node.CreateTableAsStmt.into.rel));
    if ('IndexStmt' in node && node.IndexStmt.idxname && this.isNewTable(node.IndexStmt.relation)) this.createdIndexes.add(node.IndexStmt.idxname);
    if ('RenameStmt' in node && node.RenameStmt.renameType === 'OBJECT_TABLE' && this.isNewTable(node.RenameStmt.relation) && node.RenameStmt.newname) {
      this.createdTables.add(tableKey({ ...node.RenameStmt.relation, relname: node.RenameStmt.newname }));
    }
    if ('VariableSetStmt' in node && node.VariableSetStmt.name === 'lock_timeout') {
      const set = node.VariableSetStmt.kind === 'VAR_SET_VALUE' && !isZero(node.VariableSetStmt.args?.[0]);
      this.lockTimeoutSet = set;
      this.lockTimeoutLocal = set && node.VariableSetStmt.is_local === true;
    }
    if ('AlterTableStmt' in node) this.recordAlterTable(node.AlterTableStmt.relation, node.AlterTableStmt.cmds ?? []);
  }

  private recordAlterTable(relation: RangeVar | undefined, cmds: Node[]): void {
    if (!relation) return;
    const table = tableKey(relation);
    for (const item of cmds) {
      if (!('AlterTableCmd' in item)) continue;
      const cmd = item.AlterTableCmd;
      if (cmd.subtype === 'AT_AddConstraint' && cmd.def && 'Constraint' in cmd.def) {
        const constraint = cmd.def.Constraint;
        const notNullColumn = constraint.contype === 'CONSTR_CHECK' ? isNotNullCheck(constraint.raw_expr) : undefined;
        if (constraint.skip_validation && constraint.conname) this.pending.set(`${table}.${constraint.conname}`, { table, transaction: this.transaction, notNullColumn });
        else if (notNullColumn) this.provenNotNull.add(`${table}.${notNullColumn}`);
      }
      if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name) {
        const pending = this.pending.get(`${table}.${cmd.name}`);
        if (pending?.notNullColumn) this.provenNotNull.add(`${table}.${pending.notNullColumn}`);
        this.pending.delete(`${table}.${cmd.name}`);
      }
    }
  }
}

/**
 * A table's name as the rules compare it. An unqualified name is taken to be in `public`, the
 * schema a default search_path resolves it to.
 */
export function tableKey(relation: RangeVar): string {
  return `${relation.schemaname ?? 'public'}.${relation.relname ?? ''}`;
}

/** The table's name as written, for messages. */
export function tableName(relation: RangeVar | undefined): string {
  if (!relation) return '(unnamed)';
  return relation.schemaname ? `${relation.schemaname}.${relation.relname ?? ''}` : (relation.relname ?? '');
}

/** The column a `CHECK (col IS NOT NULL)` proves non-null, or undefined for any other check. */
export function isNotNullCheck(expr: Node | undefined): string | undefined {
  if (!expr || !('NullTest' in expr) || expr.NullTest.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const arg = expr.NullTest.arg;
  if (!arg || !('ColumnRef' in arg)) return undefined;
  const fields = arg.ColumnRef.fields ?? [];
  const last = fields[fields.length - 1];
  return last && 'String' in last ? last.String.sval : undefined;
}

/** True for a SET value meaning "no timeout": 0, '0', '0s', '0ms'. */
function isZero(value: Node | undefined): boolean {
  if (!value || !('A_Const' in value)) return false;
  const constant = value.A_Const;
  if (constant.ival !== undefined) return (constant.ival.ival ?? 0) === 0;
  return constant.sval !== undefined && /^\s*0+\s*(ms|s|min)?\s*$/i.test(constant.sval.sval ?? '');
}
