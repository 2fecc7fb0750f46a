import type { Constraint, RangeVar } from 'libpg-query';
import type { LintContext } from '../context.js';
import { tableName } from '../context.js';
import type { MigrationStatement, RuleHit } from '../types.js';
import { lastName, notNullHit } from './columns.js';

/**
 * ALTER TABLE ... ADD CONSTRAINT on a table that existing code uses: a constraint that is checked
 * or indexed in place holds a lock for as long as the table takes to scan or index.
 */
export function checkConstraints(statement: MigrationStatement, context: LintContext): RuleHit[] {
  const node = statement.node;
  if (!('AlterTableStmt' in node)) return [];
  const relation = node.AlterTableStmt.relation;
  if (context.isNewTable(relation)) return [];
  const hits: RuleHit[] = [];
  for (const item of node.AlterTableStmt.cmds ?? []) {
    if (!('AlterTableCmd' in item)) continue;
    const cmd = item.AlterTableCmd;
    if (cmd.subtype === 'AT_AddConstraint' && cmd.def && 'Constraint' in cmd.def) hits.push(...checkAdded(cmd.def.Constraint, relation));
    if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name) {
      const pending = context.pendingConstraint(relation, cmd.name);
      if (pending && pending.transaction !== undefined && pending.transaction === context.transaction) {
        hits.push({
          id: 'constraint-missing-not-valid',
          level: 'error',
          text: `validates ${tableName(relation)}.${cmd.name} in the same transaction that added it NOT VALID: the add's ACCESS EXCLUSIVE lock is held through the whole validation scan`,
          alternative: 'COMMIT after adding the constraint NOT VALID and VALIDATE CONSTRAINT in its own transaction (validation then takes only SHARE UPDATE EXCLUSIVE)',
        });
      }
    }
  }
  return hits;
}

function checkAdded(constraint: Constraint, relation: RangeVar | undefined): RuleHit[] {
  const name = `${tableName(relation)}${constraint.conname ? `.${constraint.conname}` : ''}`;
  switch (constraint.contype) {
    case 'CONSTR_FOREIGN':
      if (constraint.skip_validation) return [];
      return [
        {
          id: 'adding-foreign-key-constraint',
          level: 'error',
          text: `adds foreign key ${name} and validates it at once: both ${tableName(relation)} and ${tableName(constraint.pktable)} are locked against writes during the scan`,
          alternative: 'ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a separate transaction',
        },
      ];
    case 'CONSTR_CHECK':
      if (constraint.skip_validation) return [];
      return [
        {
          id: 'constraint-missing-not-valid',
          level: 'error',
          text: `adds check ${name} and validates it at once: every row is read under an ACCESS EXCLUSIVE lock`,
          alternative: 'ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a separate transaction',
        },
      ];
    case 'CONSTR_NOTNULL':
      if (constraint.skip_validation) return [];
      return [notNullHit(`${tableName(relation)}.${lastName(constraint.keys)}`)];
    case 'CONSTR_UNIQUE':
      if (constraint.indexname) return [];
      return [
        {
          id: 'disallowed-unique-constraint',
          level: 'error',
          text: `adds unique constraint ${name}, building its index in place under an ACCESS EXCLUSIVE lock`,
          alternative: 'CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX',
        },
      ];
    case 'CONSTR_PRIMARY':
      if (constraint.indexname) return [];
      return [
        {
          id: 'adding-serial-primary-key-field',
          level: 'error',
          text: `adds primary key ${name}, building its index in place under an ACCESS EXCLUSIVE lock`,
          alternative: 'CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX',
        },
      ];
    case 'CONSTR_EXCLUSION':
      return [
        {
          id: 'adding-exclusion-constraint',
          level: 'error',
          text: `adds exclusion constraint ${name}: its index is built in place under an ACCESS EXCLUSIVE lock, and PostgreSQL has no USING INDEX form for it`,
          alternative: 'enforce the rule with a trigger or in the application first, and add the constraint in a maintenance window or on a new table',
        },
      ];
    default:
      return [];
  }
}
