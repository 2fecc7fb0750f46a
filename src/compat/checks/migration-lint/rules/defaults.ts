import type { Node } from 'libpg-query';

/**
 * Functions PostgreSQL marks VOLATILE that migrations use as defaults: each row gets its own
 * value, so ADD COLUMN with one rewrites the whole table.
 */
const volatileFunctions: ReadonlySet<string> = new Set([
  'random', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'uuidv4', 'uuidv7',
  'clock_timestamp', 'timeofday', 'nextval', 'setseed', 'txid_current', 'pg_current_xact_id', 'random_normal',
]);

/**
 * Functions marked STABLE or IMMUTABLE: evaluated once by ALTER TABLE and stored as the
 * "missing value" (PostgreSQL 11+), so no rewrite. now() and CURRENT_TIMESTAMP are STABLE.
 */
const nonVolatileFunctions: ReadonlySet<string> = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_timestamp', 'current_date', 'localtimestamp',
  'lower', 'upper', 'coalesce', 'concat', 'abs', 'round', 'to_jsonb', 'jsonb_build_object', 'json_build_object',
  'array', 'make_interval', 'make_date', 'to_timestamp', 'to_date', 'length', 'replace', 'md5',
]);

const maxDepth = 500;

/** Why a column default makes ADD COLUMN rewrite the table, or undefined when it does not. */
export function rewritingDefault(expr: Node, depth = 0): string | undefined {
  // Past this depth nobody wrote the default by hand; refusing to judge it keeps the walk off the stack limit.
  if (depth > maxDepth) return 'the default expression nests too deeply to prove it non-volatile';
  if ('A_Const' in expr || 'SQLValueFunction' in expr || 'ParamRef' in expr) return undefined;
  if ('TypeCast' in expr) return expr.TypeCast.arg ? rewritingDefault(expr.TypeCast.arg, depth + 1) : undefined;
  if ('A_ArrayExpr' in expr) return firstReason(expr.A_ArrayExpr.elements, depth);
  if ('A_Expr' in expr) return firstReason([expr.A_Expr.lexpr, expr.A_Expr.rexpr], depth);
  if ('BoolExpr' in expr) return firstReason(expr.BoolExpr.args, depth);
  if ('CoalesceExpr' in expr) return firstReason(expr.CoalesceExpr.args, depth);
  if ('FuncCall' in expr) {
    const names = expr.FuncCall.funcname ?? [];
    const last = names[names.length - 1];
    const name = last && 'String' in last ? (last.String.sval ?? '') : '';
    if (volatileFunctions.has(name)) return `${name}() is volatile: every existing row gets its own value`;
    if (!nonVolatileFunctions.has(name)) return `${name}() may be volatile (not a function this linter knows to be stable)`;
    return firstReason(expr.FuncCall.args, depth);
  }
  return 'the default is an expression this linter cannot prove non-volatile';
}

function firstReason(nodes: (Node | undefined)[] | undefined, depth: number): string | undefined {
  for (const node of nodes ?? []) {
    const reason = node ? rewritingDefault(node, depth + 1) : undefined;
    if (reason) return reason;
  }
  return undefined;
}
