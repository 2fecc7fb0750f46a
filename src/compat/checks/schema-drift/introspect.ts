import type pg from 'pg';
import { UfError } from '../../../core/errors.js';
import type { ColumnShape, SchemaShape, SequenceShape, TableShape } from './types.js';

/** What introspection needs of a connection: pg's Client (or a pooled client) fits. */
export type CatalogClient = Pick<pg.ClientBase, 'query'>;

const notExtensionMember = (catalog: string, oid: string) => `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;

const columnsQuery = `
SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr, a.attidentity AS identity, a.attgenerated AS generated
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND ${notExtensionMember('pg_class', 'c.oid')}
ORDER BY c.relname, a.attnum`;

const constraintsQuery = `
SELECT c.relname AS table_name, k.conname AS name, pg_get_constraintdef(k.oid, true) AS definition
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND k.contype IN ('p', 'u', 'c', 'f', 'x')
ORDER BY c.relname, k.conname`;

// Indexes that back a primary key, unique or exclusion constraint are that constraint's business.
const indexesQuery = `
SELECT t.relname AS table_name, i.relname AS name, pg_get_indexdef(i.oid) AS definition, x.indisvalid AS valid
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = $1 AND t.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
ORDER BY t.relname, i.relname`;

const sequencesQuery = `
SELECT c.relname AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start, s.seqincrement::text AS increment,
       s.seqmin::text AS min, s.seqmax::text AS max, s.seqcycle AS cycle,
       (SELECT t.relname || '.' || a.attname FROM pg_depend d
          JOIN pg_class t ON t.oid = d.refobjid
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
        LIMIT 1) AS owned_by
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND ${notExtensionMember('pg_class', 'c.oid')}
ORDER BY c.relname`;

const viewsQuery = `
SELECT c.relname AS name, c.relkind AS kind, pg_get_viewdef(c.oid, true) AS definition
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('v', 'm') AND ${notExtensionMember('pg_class', 'c.oid')}
ORDER BY c.relname`;

const enumsQuery = `
SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = $1 AND ${notExtensionMember('pg_type', 't.oid')}
GROUP BY t.typname
ORDER BY t.typname`;

// Aggregates and window functions have no pg_get_functiondef; plain functions and procedures do.
const functionsQuery = `
SELECT p.oid::regprocedure::text AS signature, pg_get_functiondef(p.oid) AS definition
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = $1 AND p.prokind IN ('f', 'p') AND ${notExtensionMember('pg_proc', 'p.oid')}
ORDER BY 1`;

/**
 * Reads a schema's shape from pg_catalog in one read-only snapshot. The schema is put first on the
 * search path for the reading, so the catalog functions name its objects without the schema; the
 * ones that always qualify (`pg_get_indexdef`, `pg_get_functiondef`) have the schema's own
 * qualifier removed, so a shape read from a scratch schema compares equal to the live one's. Objects
 * that belong to an extension are left out. A schema that does not exist: UfError `not_found`.
 */
export async function introspect(db: CatalogClient, schema: string): Promise<SchemaShape> {
  await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const { rows: found } = await db.query<{ quoted: string }>('SELECT quote_ident(nspname) AS quoted FROM pg_namespace WHERE nspname = $1', [schema]);
    const quoted = found[0]?.quoted;
    if (quoted === undefined) throw new UfError('not_found', `schema "${schema}" does not exist in the database`, { record: schema });
    await db.query("SELECT set_config('search_path', $1, true)", [quoted]);
    const unqualify = unqualifier(quoted);
    const read = async <R extends object>(text: string) => (await db.query<R & pg.QueryResultRow>(text, [schema])).rows;
    const shape: SchemaShape = { schema, tables: {}, sequences: {}, views: {}, enums: {}, functions: {} };
    const table = (name: string): TableShape => (shape.tables[name] ??= { columns: {}, constraints: {}, indexes: {} });

    for (const row of await read<ColumnRow>(columnsQuery)) {
      const shell = table(row.table_name);
      if (row.column_name !== null) shell.columns[row.column_name] = column(row, unqualify);
    }
    for (const row of await read<NamedDefinition>(constraintsQuery)) table(row.table_name).constraints[row.name] = unqualify(row.definition);
    for (const row of await read<NamedDefinition & { valid: boolean }>(indexesQuery)) {
      table(row.table_name).indexes[row.name] = unqualify(row.definition) + (row.valid ? '' : ' (INVALID: a failed CREATE INDEX CONCURRENTLY)');
    }
    for (const row of await read<SequenceRow>(sequencesQuery)) shape.sequences[row.name] = sequence(row);
    for (const row of await read<{ name: string; kind: string; definition: string }>(viewsQuery)) {
      shape.views[row.name] = (row.kind === 'm' ? 'materialized ' : '') + unqualify(row.definition.trim());
    }
    for (const row of await read<{ name: string; labels: string[] }>(enumsQuery)) shape.enums[row.name] = row.labels;
    for (const row of await read<{ signature: string; definition: string }>(functionsQuery)) shape.functions[unqualify(row.signature)] = unqualify(row.definition.trim());
    await db.query('COMMIT');
    return shape;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

interface ColumnRow {
  table_name: string;
  column_name: string | null;
  type: string;
  not_null: boolean;
  default_expr: string | null;
  identity: string;
  generated: string;
}

interface NamedDefinition {
  table_name: string;
  name: string;
  definition: string;
}

interface SequenceRow {
  name: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cycle: boolean;
  owned_by: string | null;
}

function column(row: ColumnRow, unqualify: (text: string) => string): ColumnShape {
  let fallback = row.default_expr === null ? null : unqualify(row.default_expr);
  if (row.identity === 'a') fallback = 'generated always as identity';
  else if (row.identity === 'd') fallback = 'generated by default as identity';
  else if (row.generated === 's') fallback = `generated always as (${fallback ?? ''}) stored`;
  return { type: unqualify(row.type), nullable: !row.not_null, default: fallback };
}

function sequence(row: SequenceRow): SequenceShape {
  return { definition: `${row.type} ${row.min}..${row.max} start ${row.start} by ${row.increment}${row.cycle ? ' cycle' : ' no cycle'}`, ownedBy: row.owned_by };
}

/** Removes `schema.` (as quote_ident writes it) where it qualifies a name, not inside another identifier. */
function unqualifier(quoted: string): (text: string) => string {
  const pattern = new RegExp(`(?<![\\w$".])${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?=[\\w"])`, 'g');
  return (text) => text.replace(pattern, '');
}
