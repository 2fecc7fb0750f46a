import type { Node } from 'libpg-query';

/** Schemas a migration may name: PostgreSQL's own, which hold nothing a migration creates. */
const builtinSchemas: ReadonlySet<string> = new Set(['pg_catalog', 'information_schema']);

/** Keys whose value is a possibly qualified name written as a list of strings (`public.mood`, `public.f`). */
const nameListKeys: ReadonlySet<string> = new Set(['names', 'funcname', 'typeName', 'defnames', 'objname', 'collname']);
/** Keys whose value is a list of such names, or one (`DROP TABLE public.a`, `COMMENT ON TABLE public.a`). */
const objectKeys: ReadonlySet<string> = new Set(['objects', 'object']);

type Tree = Record<string, unknown>;

/**
 * Why a statement would reach outside the schema it runs in, or undefined when it stays inside:
 * a name qualified with a schema (`public.users`, `app.mood`, `public.f()`), or a statement about
 * schemas or the search path (CREATE/DROP/ALTER SCHEMA, SET SCHEMA, SET search_path, CREATE
 * EXTENSION … SCHEMA, GRANT … ON ALL TABLES IN SCHEMA, ALTER DEFAULT PRIVILEGES). Names inside
 * function bodies and DO blocks are text to the parser and cannot be seen here.
 */
export function schemaEscape(node: Node): string | undefined {
  const tree = node as unknown as Tree;
  const [kind] = Object.keys(tree);
  const body = (kind ? tree[kind] : undefined) as Tree | undefined;
  if (!kind || !body) return undefined;
  if (kind === 'CreateSchemaStmt') return `creates schema "${String(body.schemaname)}"`;
  if (kind === 'DropStmt' && body.removeType === 'OBJECT_SCHEMA') return 'drops a schema';
  if (kind === 'RenameStmt' && body.renameType === 'OBJECT_SCHEMA') return 'renames a schema';
  if (kind === 'AlterObjectSchemaStmt') return `moves an object to schema "${String(body.newschema)}"`;
  if (kind === 'VariableSetStmt' && body.name === 'search_path') return 'sets search_path';
  if (kind === 'AlterDefaultPrivilegesStmt') return 'alters default privileges';
  if (kind === 'GrantStmt' && body.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') return 'grants on all objects in a schema';
  if (kind === 'CreateExtensionStmt' && hasDefElem(body.options, 'schema')) return 'installs an extension into a named schema';
  if (callsSetConfig(tree)) return 'calls set_config, which can change search_path';
  const found = qualifiedName(tree);
  return found ? `names "${found}" with its schema` : undefined;
}

/** The first schema-qualified name in the tree outside pg_catalog and information_schema. */
function qualifiedName(value: unknown, key = ''): string | undefined {
  if (Array.isArray(value)) {
    if (nameListKeys.has(key)) {
      const name = qualifiedList(value);
      if (name) return name;
    }
    for (const item of value) {
      const found = objectKeys.has(key) ? (qualifiedList(listItems(item)) ?? qualifiedName(item)) : qualifiedName(item);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const tree = value as Tree;
  // A RangeVar: a table, view, sequence or index name.
  if (typeof tree.relname === 'string' && typeof tree.schemaname === 'string' && !builtinSchemas.has(tree.schemaname)) return `${tree.schemaname}.${tree.relname}`;
  if (objectKeys.has(key)) {
    const name = qualifiedList(listItems(tree));
    if (name) return name;
  }
  for (const [child, inner] of Object.entries(tree)) {
    const found = qualifiedName(inner, child);
    if (found) return found;
  }
  return undefined;
}

function callsSetConfig(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(callsSetConfig);
  if (typeof value !== 'object' || value === null) return false;
  const call = (value as { FuncCall?: { funcname?: unknown[] } }).FuncCall;
  if (call && (call.funcname ?? []).map((part) => (part as { String?: { sval?: string } }).String?.sval).at(-1) === 'set_config') return true;
  return Object.values(value).some(callsSetConfig);
}

function listItems(value: unknown): unknown[] {
  const list = (value as { List?: { items?: unknown[] } } | undefined)?.List;
  return list?.items ?? [];
}

function qualifiedList(items: unknown[]): string | undefined {
  const parts = items.map((item) => (item as { String?: { sval?: string } }).String?.sval);
  if (parts.length < 2 || parts.some((part) => part === undefined)) return undefined;
  return builtinSchemas.has(parts[0]!) ? undefined : parts.join('.');
}

function hasDefElem(options: unknown, name: string): boolean {
  return Array.isArray(options) && options.some((option) => (option as { DefElem?: { defname?: string } }).DefElem?.defname === name);
}
