import type { Node, RangeVar } from 'libpg-query';
import type { LintContext } from '../context.js';
import { tableName } from '../context.js';
import type { MigrationStatement, RuleHit } from '../types.js';

const rewriteAlternative =
  'rebuild the table online outside the migration (pg_repack or pg_squeeze), or build a new table, copy in batches and switch over';

/**
 * Maintenance that rewrites a whole table (VACUUM FULL, CLUSTER, SET TABLESPACE, SET LOGGED or
 * UNLOGGED) holds ACCESS EXCLUSIVE for the whole rewrite; REFRESH MATERIALIZED VIEW without
 * CONCURRENTLY blocks every reader of the view until it finishes.
 */
export function checkRewrites(statement: MigrationStatement, context: LintContext): RuleHit[] {
  const node = statement.node;
  if ('VacuumStmt' in node && node.VacuumStmt.is_vacuumcmd && (node.VacuumStmt.options ?? []).some(isFullOption)) {
    const relations = (node.VacuumStmt.rels ?? []).flatMap((r) => ('VacuumRelation' in r && r.VacuumRelation.relation ? [r.VacuumRelation.relation] : []));
    if (relations.length > 0 && relations.every((relation) => context.isNewTable(relation))) return [];
    return [rewriteHit(`VACUUM FULL of ${relations.length > 0 ? relations.map(tableName).join(', ') : 'every table in the database'}`)];
  }
  if ('ClusterStmt' in node && !context.isNewTable(node.ClusterStmt.relation)) {
    return [rewriteHit(`CLUSTER of ${node.ClusterStmt.relation ? tableName(node.ClusterStmt.relation) : 'every clustered table'}`)];
  }
  if ('AlterTableStmt' in node && !context.isNewTable(node.AlterTableStmt.relation)) {
    return (node.AlterTableStmt.cmds ?? []).flatMap((item) => alterRewrite(item, node.AlterTableStmt.relation));
  }
  if ('RefreshMatViewStmt' in node && !node.RefreshMatViewStmt.concurrent && !context.isNewTable(node.RefreshMatViewStmt.relation)) {
    return [
      {
        id: 'require-concurrent-refresh',
        level: 'error',
        text: `refreshes materialized view ${tableName(node.RefreshMatViewStmt.relation)} without CONCURRENTLY: every query on the view waits until the refresh ends`,
        alternative: 'REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view)',
      },
    ];
  }
  return [];
}

function alterRewrite(item: Node, relation: RangeVar | undefined): RuleHit[] {
  if (!('AlterTableCmd' in item)) return [];
  const subtype = item.AlterTableCmd.subtype;
  if (subtype === 'AT_SetTableSpace') return [rewriteHit(`moving ${tableName(relation)} to tablespace ${item.AlterTableCmd.name ?? ''}`)];
  if (subtype === 'AT_SetLogged' || subtype === 'AT_SetUnLogged') return [rewriteHit(`SET ${subtype === 'AT_SetLogged' ? 'LOGGED' : 'UNLOGGED'} on ${tableName(relation)}`)];
  return [];
}

function rewriteHit(what: string): RuleHit {
  return { id: 'ban-table-rewrite', level: 'error', text: `${what} rewrites the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes`, alternative: rewriteAlternative };
}

/** VACUUM's FULL option, unless turned off (`FULL false`, `FULL off`, `FULL 0`). */
function isFullOption(option: Node): boolean {
  if (!('DefElem' in option) || option.DefElem.defname !== 'full') return false;
  const arg = option.DefElem.arg;
  if (!arg) return true;
  if ('Boolean' in arg) return arg.Boolean.boolval === true;
  if ('String' in arg) return !['false', 'off', 'no', '0'].includes((arg.String.sval ?? '').toLowerCase());
  if ('Integer' in arg) return (arg.Integer.ival ?? 0) !== 0;
  return true;
}
