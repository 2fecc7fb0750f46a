import type { Node } from 'libpg-query';
import type { MigrationStatement, RuleHit } from '../types.js';

/**
 * Domain constraints: adding one checks every column of every table using the domain under
 * locks the migration cannot see, and a constraint created with the domain makes every later
 * change to it such a check.
 */
export function checkDomains(statement: MigrationStatement): RuleHit[] {
  const node = statement.node;
  if ('AlterDomainStmt' in node && node.AlterDomainStmt.subtype === 'C') {
    return [
      {
        id: 'ban-alter-domain-with-add-constraint',
        level: 'error',
        text: `adds a constraint to domain ${names(node.AlterDomainStmt.typeName)}: every table with a column of that domain is scanned while locked against writes`,
        alternative: 'add a CHECK ... NOT VALID to each table column instead, then VALIDATE CONSTRAINT in a separate transaction',
      },
    ];
  }
  if ('CreateDomainStmt' in node && (node.CreateDomainStmt.constraints ?? []).some((c) => 'Constraint' in c && c.Constraint.contype !== 'CONSTR_NULL')) {
    return [
      {
        id: 'ban-create-domain-with-constraint',
        level: 'warning',
        text: `creates domain ${names(node.CreateDomainStmt.domainname)} with a constraint: changing it later scans every table that uses the domain, and it cannot be added NOT VALID per table`,
        alternative: 'create the domain without constraints and put CHECK constraints on the table columns',
      },
    ];
  }
  return [];
}

function names(list: Node[] | undefined): string {
  return (list ?? []).flatMap((n) => ('String' in n && n.String.sval !== undefined ? [n.String.sval] : [])).join('.');
}
