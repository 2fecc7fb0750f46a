import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar } from 'libpg-query';
import type { LintContext } from '../context.js';
import { tableName } from '../context.js';
import type { MigrationStatement, RuleHit } from '../types.js';
import { rewritingDefault } from './defaults.js';

const serialTypes: ReadonlySet<string> = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/**
 * Column changes to a table that existing code reads: drops, renames and type changes break the
 * old version; volatile defaults and SET NOT NULL rewrite or scan under ACCESS EXCLUSIVE.
 */
export function checkColumns(statement: MigrationStatement, context: LintContext): RuleHit[] {
  const node = statement.node;
  if ('RenameStmt' in node && node.RenameStmt.renameType === 'OBJECT_COLUMN' && !context.isNewTable(node.RenameStmt.relation)) {
    const { relation, subname, newname } = node.RenameStmt;
    return [
      {
        id: 'renaming-column',
        level: 'error',
        text: `renames ${tableName(relation)}.${subname ?? ''} to ${newname ?? ''}: the version still serving reads and writes the old name and fails`,
        alternative: `add ${newname ?? 'the new column'}, write both columns from the new version, backfill in batches, switch reads, and drop ${subname ?? 'the old column'} in a later migration once no running version uses it`,
      },
    ];
  }
  if (!('AlterTableStmt' in node) || node.AlterTableStmt.objtype !== 'OBJECT_TABLE') return [];
  const relation = node.AlterTableStmt.relation;
  if (context.isNewTable(relation)) return [];
  const hits: RuleHit[] = [];
  for (const item of node.AlterTableStmt.cmds ?? []) {
    if ('AlterTableCmd' in item) hits.push(...checkCommand(item.AlterTableCmd, relation, context));
  }
  return hits;
}

function checkCommand(cmd: AlterTableCmd, relation: RangeVar | undefined, context: LintContext): RuleHit[] {
  const column = `${tableName(relation)}.${cmd.name ?? ''}`;
  switch (cmd.subtype) {
    case 'AT_DropColumn':
      return [
        {
          id: 'ban-drop-column',
          level: 'error',
          text: `drops ${column}: the version still serving selects or inserts it and fails`,
          alternative: 'deploy a version that no longer reads or writes the column (for ORMs, mark it ignored), finish the rollout, then drop it in a later migration',
        },
      ];
    case 'AT_AlterColumnType':
      return [
        {
          id: 'changing-column-type',
          level: 'error',
          text: `changes the type of ${column}: most type changes rewrite the table and its indexes under an ACCESS EXCLUSIVE lock, and the old version may not handle the new type`,
          alternative: 'add a column of the new type, write both from the new version, backfill in batches, switch reads, then drop the old column later (widening varchar(n) or varchar to text needs no rewrite)',
        },
      ];
    case 'AT_SetNotNull':
      if (cmd.name && context.hasValidatedNotNull(relation, cmd.name)) return [];
      return [notNullHit(column)];
    case 'AT_DropNotNull':
      return [
        {
          id: 'ban-drop-not-null',
          level: 'error',
          text: `drops NOT NULL from ${column}: the version still serving assumes the column is never null and can fail on the rows the new version writes`,
          alternative: 'first deploy a version that tolerates nulls in the column, then drop NOT NULL',
        },
      ];
    case 'AT_AddColumn':
      return cmd.def && 'ColumnDef' in cmd.def ? checkAddedColumn(cmd.def.ColumnDef, relation) : [];
    default:
      return [];
  }
}

/** The finding for SET NOT NULL (or ADD CONSTRAINT ... NOT NULL) without a proof of non-null. */
export function notNullHit(column: string): RuleHit {
  return {
    id: 'adding-not-nullable-field',
    level: 'error',
    text: `sets ${column} NOT NULL: PostgreSQL scans the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes`,
    alternative: 'ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; then VALIDATE CONSTRAINT c in a separate transaction; then SET NOT NULL (PostgreSQL 12+ uses the check and skips the scan) and drop the check',
  };
}

function checkAddedColumn(def: ColumnDef, relation: RangeVar | undefined): RuleHit[] {
  const column = `${tableName(relation)}.${def.colname ?? ''}`;
  const constraints = (def.constraints ?? []).flatMap((c: Node) => ('Constraint' in c ? [c.Constraint] : []));
  const typeName = lastName(def.typeName?.names);
  const isSerial = serialTypes.has(typeName);
  const hits: RuleHit[] = [];
  const defaultExpr = constraints.find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr;
  const rewrite = isSerial ? `${typeName} fills every existing row from a sequence` : defaultExpr ? rewritingDefault(defaultExpr) : undefined;
  const generated = constraints.some((c) => c.contype === 'CONSTR_GENERATED' && c.generated_kind === 's');
  if (rewrite || generated) {
    hits.push({
      id: 'adding-field-with-default',
      level: 'error',
      text: generated
        ? `adds ${column} as a stored generated column: every row is rewritten while an ACCESS EXCLUSIVE lock blocks reads and writes`
        : `adds ${column} with a default that is not known to be constant (${rewrite ?? ''}): a volatile default rewrites every row while an ACCESS EXCLUSIVE lock blocks reads and writes`,
      alternative: 'add the column without a default (or with a constant one), set the default in a separate statement for new rows, and backfill existing rows in batches',
    });
  }
  const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
  if (notNull && !defaultExpr && !isSerial && !generated) {
    hits.push({
      id: 'adding-required-field',
      level: 'error',
      text: `adds ${column} NOT NULL without a default: it fails on a table with rows, and the version still serving inserts without the column and fails`,
      alternative: 'add the column nullable (or NOT NULL with a constant default), backfill, then add NOT NULL through a validated CHECK',
    });
  }
  hits.push(...inlineConstraintHits(column, constraints));
  return hits;
}

function inlineConstraintHits(column: string, constraints: Constraint[]): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const constraint of constraints) {
    if (constraint.contype === 'CONSTR_PRIMARY') {
      hits.push({
        id: 'adding-serial-primary-key-field',
        level: 'error',
        text: `adds ${column} as PRIMARY KEY: the unique index is built in place under an ACCESS EXCLUSIVE lock`,
        alternative: 'add the column, CREATE UNIQUE INDEX CONCURRENTLY on it, then ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY USING INDEX',
      });
    } else if (constraint.contype === 'CONSTR_UNIQUE') {
      hits.push({
        id: 'disallowed-unique-constraint',
        level: 'error',
        text: `adds ${column} as UNIQUE: the index is built in place under an ACCESS EXCLUSIVE lock`,
        alternative: 'add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX',
      });
    } else if (constraint.contype === 'CONSTR_FOREIGN') {
      hits.push({
        id: 'adding-foreign-key-constraint',
        level: 'error',
        text: `adds ${column} with REFERENCES: the foreign key locks both tables against writes while it is added`,
        alternative: 'add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a separate transaction',
      });
    } else if (constraint.contype === 'CONSTR_CHECK') {
      hits.push({
        id: 'constraint-missing-not-valid',
        level: 'error',
        text: `adds ${column} with a CHECK: existing rows are checked under an ACCESS EXCLUSIVE lock`,
        alternative: 'add the column, then ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a separate transaction',
      });
    }
  }
  return hits;
}

/** The last part of a qualified name list (`pg_catalog.int4` -> `int4`). */
export function lastName(names: Node[] | undefined): string {
  const last = names?.[names.length - 1];
  return last && 'String' in last ? (last.String.sval ?? '') : '';
}
