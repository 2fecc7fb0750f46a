import { describe, expect, it } from 'vitest';
import { diffSchemas } from './diff.js';
import type { SchemaShape } from './types.js';

function shape(): SchemaShape {
  return {
    schema: 'public',
    tables: {
      users: {
        columns: {
          id: { type: 'integer', nullable: false, default: "nextval('users_id_seq'::regclass)" },
          email: { type: 'text', nullable: false, default: null },
          status: { type: 'mood', nullable: true, default: "'ok'::mood" },
        },
        constraints: { users_pkey: 'PRIMARY KEY (id)', users_email_key: 'UNIQUE (email)' },
        indexes: { users_status: 'CREATE INDEX users_status ON users USING btree (status)' },
      },
      schema_migrations: { columns: { version: { type: 'bigint', nullable: false, default: null } }, constraints: {}, indexes: {} },
    },
    sequences: { users_id_seq: { definition: 'integer 1..2147483647 start 1 by 1 no cycle', ownedBy: 'users.id' } },
    views: { active_users: 'SELECT id FROM users' },
    enums: { mood: ['ok', 'sad'] },
    functions: {},
  };
}

describe('diffSchemas', () => {
  it('finds nothing between equal shapes', () => {
    expect(diffSchemas(shape(), shape())).toEqual([]);
  });

  it('names each column difference with what was expected and what is there', () => {
    const live = shape();
    const users = live.tables.users!;
    users.columns.email = { type: 'character varying(80)', nullable: true, default: "''::character varying" };
    delete users.columns.status;
    users.columns.nickname = { type: 'text', nullable: true, default: null };
    expect(diffSchemas(shape(), live)).toEqual([
      { id: 'column-default-differs', object: 'users.email', expected: 'no default', actual: "''::character varying" },
      { id: 'column-nullability-differs', object: 'users.email', expected: 'not null', actual: 'nullable' },
      { id: 'column-type-differs', object: 'users.email', expected: 'text', actual: 'character varying(80)' },
      { id: 'column-unexpected', object: 'users.nickname', expected: null, actual: 'text' },
      { id: 'column-missing', object: 'users.status', expected: "mood default 'ok'::mood", actual: null },
    ]);
  });

  it('compares constraints, indexes, enums, views and sequences by name and definition', () => {
    const live = shape();
    const users = live.tables.users!;
    delete users.constraints.users_email_key;
    users.constraints.users_email_check = "CHECK (email ~~ '%@%'::text)";
    users.indexes.users_status = 'CREATE INDEX users_status ON users USING hash (status)';
    users.indexes.users_email_lower = 'CREATE INDEX users_email_lower ON users USING btree (lower(email))';
    live.enums.mood = ['sad', 'ok'];
    live.views.active_users = 'SELECT id, email FROM users';
    live.sequences.users_id_seq = { definition: 'bigint 1..9223372036854775807 start 1 by 1 no cycle', ownedBy: 'users.id' };
    expect(diffSchemas(shape(), live).map((item) => [item.id, item.object])).toEqual([
      ['view-differs', 'active_users'],
      ['enum-values-differ', 'mood'],
      ['constraint-unexpected', 'users.users_email_check'],
      ['constraint-missing', 'users.users_email_key'],
      ['index-unexpected', 'users.users_email_lower'],
      ['index-differs', 'users.users_status'],
      ['sequence-differs', 'users_id_seq'],
    ]);
    expect(diffSchemas(shape(), live).find((item) => item.id === 'enum-values-differ')).toEqual({ id: 'enum-values-differ', object: 'mood', expected: "'ok', 'sad'", actual: "'sad', 'ok'" });
  });

  it('reports whole tables missing or unexpected, leaving out migration bookkeeping tables', () => {
    const migrated = shape();
    const live = shape();
    delete live.tables.users;
    delete live.sequences.users_id_seq;
    delete migrated.tables.schema_migrations;
    live.tables.audit = { columns: { at: { type: 'timestamp with time zone', nullable: false, default: 'now()' } }, constraints: {}, indexes: {} };
    expect(diffSchemas(migrated, live)).toEqual([
      { id: 'table-unexpected', object: 'audit', expected: null, actual: '(at timestamp with time zone not null default now())' },
      { id: 'table-missing', object: 'users', expected: "(id integer not null default nextval('users_id_seq'::regclass), email text not null, status mood default 'ok'::mood)", actual: null },
      { id: 'sequence-missing', object: 'users_id_seq', expected: 'integer 1..2147483647 start 1 by 1 no cycle owned by users.id', actual: null },
    ]);
  });

  it('replaces the default ignore list when given one', () => {
    const migrated = shape();
    delete migrated.tables.schema_migrations;
    expect(diffSchemas(migrated, shape(), { ignoreTables: [] }).map((item) => item.id)).toEqual(['table-unexpected']);
    expect(diffSchemas(shape(), migrated, { ignoreTables: ['users', 'schema_migrations'] }).map((item) => item.id)).toEqual([]);
  });
});
