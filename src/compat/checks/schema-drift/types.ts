/**
 * What schema drift compares: a PostgreSQL schema's shape as read from pg_catalog, with every
 * definition written as if the schema were on the search path (so the same migration applied to
 * two schemas gives equal shapes), and the differences between two shapes. Pure types.
 */

export interface ColumnShape {
  /** `format_type`: `character varying(80)`, `integer[]`, `mood` (an enum of the same schema). */
  type: string;
  nullable: boolean;
  /** `pg_get_expr` of the default (`nextval('users_id_seq'::regclass)`), or null; identity and generated columns are written here as `identity always`, `generated (expr) stored`. */
  default: string | null;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  /** Constraint name -> `pg_get_constraintdef` (primary key, unique, check, foreign key, exclusion). */
  constraints: Record<string, string>;
  /** Index name -> `pg_get_indexdef` with the schema left out; indexes that back a constraint are listed under constraints only. */
  indexes: Record<string, string>;
}

export interface SequenceShape {
  /** `bigint 1..9223372036854775807 start 1 by 1 no cycle` */
  definition: string;
  /** `table.column` when the sequence belongs to a column (serial, identity), else null. */
  ownedBy: string | null;
}

export interface SchemaShape {
  schema: string;
  tables: Record<string, TableShape>;
  sequences: Record<string, SequenceShape>;
  /** View or materialized view name -> `pg_get_viewdef`, prefixed `materialized ` for a materialized one. */
  views: Record<string, string>;
  /** Enum type name -> its labels in sort order. */
  enums: Record<string, string[]>;
  /** `name(argument types)` -> `pg_get_functiondef`; functions that belong to an extension are left out. */
  functions: Record<string, string>;
}

export const driftIds = [
  'table-missing',
  'table-unexpected',
  'column-missing',
  'column-unexpected',
  'column-type-differs',
  'column-nullability-differs',
  'column-default-differs',
  'constraint-missing',
  'constraint-unexpected',
  'constraint-differs',
  'index-missing',
  'index-unexpected',
  'index-differs',
  'sequence-missing',
  'sequence-unexpected',
  'sequence-differs',
  'view-missing',
  'view-unexpected',
  'view-differs',
  'enum-missing',
  'enum-unexpected',
  'enum-values-differ',
  'function-missing',
  'function-unexpected',
  'function-differs',
] as const;
export type DriftId = (typeof driftIds)[number];

/**
 * One difference between what the migrations produce (`expected`) and the live schema (`actual`).
 * `missing`: the migrations create it and the live schema lacks it; `unexpected`: the reverse.
 */
export interface DriftItem {
  id: DriftId;
  /** The object, named within the schema: `users`, `users.email`, `users.users_email_key`, `mood`. */
  object: string;
  /** What the migrations produce, or null when they do not create the object. */
  expected: string | null;
  /** What the live schema has, or null when it lacks the object. */
  actual: string | null;
}

/**
 * Tables that migration tools keep their own bookkeeping in: they exist in the live schema but
 * no migration file creates them, so drift leaves them out unless told otherwise. Listed by tool:
 * Rails, golang-migrate, dbmate (schema_migrations, ar_internal_metadata); Knex; Flyway; Prisma;
 * Drizzle; Kysely; goose; Django; Alembic; Sequelize (SequelizeMeta); node-pg-migrate (pgmigrations).
 * `migrations` (TypeORM, Laravel) is left out on purpose: it is too likely to be an application's
 * own table; pass it with the option when your tool uses it.
 */
export const defaultIgnoredTables: readonly string[] = [
  'schema_migrations',
  'ar_internal_metadata',
  'knex_migrations',
  'knex_migrations_lock',
  'flyway_schema_history',
  '_prisma_migrations',
  '__drizzle_migrations',
  'kysely_migration',
  'kysely_migration_lock',
  'goose_db_version',
  'django_migrations',
  'alembic_version',
  'SequelizeMeta',
  'pgmigrations',
];
