import { describe, expect, it } from 'vitest';
import { lintMigration, type LintOptions } from './index.js';

async function errorIds(sql: string, options: LintOptions = {}): Promise<string[]> {
  const result = await lintMigration(sql, 'm.sql', options);
  return result.findings.filter((f) => f.level === 'error').map((f) => f.id);
}

/** Each rule: a statement it flags on an existing table, and the expand/contract form it accepts. */
const cases: { id: string; flagged: string; safe: string; options?: LintOptions }[] = [
  { id: 'ban-drop-column', flagged: 'ALTER TABLE users DROP COLUMN email;', safe: 'ALTER TABLE users ADD COLUMN email2 text;' },
  { id: 'renaming-column', flagged: 'ALTER TABLE users RENAME COLUMN email TO mail;', safe: 'ALTER TABLE users ADD COLUMN mail text;' },
  { id: 'renaming-table', flagged: 'ALTER TABLE users RENAME TO accounts;', safe: 'CREATE TABLE accounts (id bigint);' },
  { id: 'ban-drop-table', flagged: 'DROP TABLE IF EXISTS public.users;', safe: 'CREATE TABLE tmp (id bigint); DROP TABLE tmp;' },
  { id: 'changing-column-type', flagged: 'ALTER TABLE users ALTER COLUMN id TYPE bigint;', safe: 'ALTER TABLE users ADD COLUMN id_new bigint;' },
  { id: 'adding-field-with-default', flagged: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();', safe: "ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';" },
  { id: 'adding-field-with-default', flagged: 'ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS (id * 2) STORED;', safe: 'ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now();' },
  { id: 'adding-field-with-default', flagged: 'ALTER TABLE users ADD COLUMN seq bigserial;', safe: 'ALTER TABLE users ADD COLUMN at timestamptz DEFAULT CURRENT_TIMESTAMP;' },
  { id: 'adding-field-with-default', flagged: 'ALTER TABLE users ADD COLUMN code text DEFAULT make_code();', safe: "ALTER TABLE users ADD COLUMN code text DEFAULT lower('ABC') || '-' || 'x';" },
  { id: 'adding-required-field', flagged: 'ALTER TABLE users ADD COLUMN tier text NOT NULL;', safe: "ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free';" },
  {
    id: 'adding-not-nullable-field',
    flagged: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    safe: 'ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;',
  },
  { id: 'adding-not-nullable-field', flagged: 'ALTER TABLE users ADD CONSTRAINT email_nn NOT NULL email;', safe: 'ALTER TABLE users ADD CONSTRAINT email_nn NOT NULL email NOT VALID;' },
  { id: 'ban-drop-not-null', flagged: 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;', safe: 'ALTER TABLE users ALTER COLUMN email SET DEFAULT NULL;' },
  { id: 'adding-foreign-key-constraint', flagged: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);', safe: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk;' },
  { id: 'adding-foreign-key-constraint', flagged: 'ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users;', safe: 'ALTER TABLE orders ADD COLUMN user_id bigint;' },
  { id: 'constraint-missing-not-valid', flagged: 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);', safe: 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;' },
  {
    id: 'constraint-missing-not-valid',
    flagged: 'BEGIN;\nALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT positive;\nCOMMIT;',
    safe: 'BEGIN;\nALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE orders VALIDATE CONSTRAINT positive;\nCOMMIT;',
  },
  { id: 'disallowed-unique-constraint', flagged: 'ALTER TABLE users ADD CONSTRAINT email_uq UNIQUE (email);', safe: 'CREATE UNIQUE INDEX CONCURRENTLY email_idx ON users (email);\nALTER TABLE users ADD CONSTRAINT email_uq UNIQUE USING INDEX email_idx;' },
  { id: 'adding-serial-primary-key-field', flagged: 'ALTER TABLE events ADD PRIMARY KEY (id);', safe: 'ALTER TABLE events ADD CONSTRAINT events_pk PRIMARY KEY USING INDEX events_id_idx;' },
  { id: 'adding-serial-primary-key-field', flagged: 'ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY;', safe: 'CREATE TABLE events2 (id bigserial PRIMARY KEY);' },
  { id: 'adding-exclusion-constraint', flagged: 'ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);', safe: 'CREATE TABLE b2 (room int, EXCLUDE USING gist (room WITH =));' },
  { id: 'require-concurrent-index-creation', flagged: 'CREATE INDEX users_email ON users (email);', safe: 'CREATE INDEX CONCURRENTLY users_email ON users (email);' },
  { id: 'require-concurrent-index-deletion', flagged: 'DROP INDEX users_email;', safe: 'DROP INDEX CONCURRENTLY IF EXISTS users_email;' },
  { id: 'require-concurrent-reindex', flagged: 'REINDEX INDEX users_email;', safe: 'REINDEX INDEX CONCURRENTLY users_email;' },
  { id: 'require-concurrent-detach-partition', flagged: 'ALTER TABLE measurements DETACH PARTITION m2020;', safe: 'ALTER TABLE measurements DETACH PARTITION m2020 CONCURRENTLY;' },
  { id: 'ban-concurrent-index-creation-in-transaction', flagged: 'BEGIN;\nCREATE INDEX CONCURRENTLY i ON users (email);\nCOMMIT;', safe: 'CREATE INDEX CONCURRENTLY i ON users (email);' },
  { id: 'ban-concurrent-index-creation-in-transaction', flagged: 'CREATE INDEX CONCURRENTLY i ON users (email);', safe: 'CREATE TABLE n (id bigint);\nCREATE INDEX i ON n (id);', options: { assumeInTransaction: true } },
  { id: 'ban-concurrent-index-deletion-in-transaction', flagged: 'BEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;', safe: 'DROP INDEX CONCURRENTLY i;' },
  { id: 'ban-concurrent-reindex-in-transaction', flagged: 'BEGIN;\nREINDEX TABLE CONCURRENTLY users;\nCOMMIT;', safe: 'REINDEX TABLE CONCURRENTLY users;' },
  { id: 'ban-concurrent-detach-partition-in-transaction', flagged: 'BEGIN;\nALTER TABLE m DETACH PARTITION p CONCURRENTLY;\nCOMMIT;', safe: 'ALTER TABLE m DETACH PARTITION p CONCURRENTLY;' },
  { id: 'ban-alter-domain-with-add-constraint', flagged: 'ALTER DOMAIN positive_int ADD CONSTRAINT gt0 CHECK (VALUE > 0);', safe: 'ALTER TABLE t ADD CONSTRAINT gt0 CHECK (n > 0) NOT VALID;' },
  { id: 'transaction-nesting', flagged: 'BEGIN;\nBEGIN;\nCOMMIT;', safe: 'BEGIN;\nCOMMIT;' },
  { id: 'transaction-nesting', flagged: 'ALTER TABLE t ADD COLUMN a text;\nCOMMIT;', safe: 'ALTER TABLE t ADD COLUMN a text;', options: { assumeInTransaction: true } },
  { id: 'ban-uncommitted-transaction', flagged: 'BEGIN;\nALTER TABLE t ADD COLUMN a text;', safe: 'BEGIN;\nALTER TABLE t ADD COLUMN a text;\nCOMMIT;' },
  { id: 'ban-table-rewrite', flagged: 'VACUUM (FULL, ANALYZE) orders;', safe: 'VACUUM (FULL false, ANALYZE) orders;' },
  { id: 'ban-table-rewrite', flagged: 'CLUSTER orders USING orders_pkey;', safe: 'CREATE TABLE o2 (id bigint PRIMARY KEY);\nCLUSTER o2 USING o2_pkey;' },
  { id: 'ban-table-rewrite', flagged: 'ALTER TABLE orders SET TABLESPACE fast;', safe: 'ALTER TABLE orders SET (fillfactor = 90);' },
  { id: 'ban-table-rewrite', flagged: 'ALTER TABLE orders SET LOGGED;', safe: 'CREATE UNLOGGED TABLE staging (id bigint);\nALTER TABLE staging SET LOGGED;' },
  { id: 'require-concurrent-refresh', flagged: 'REFRESH MATERIALIZED VIEW sales_daily;', safe: 'REFRESH MATERIALIZED VIEW CONCURRENTLY sales_daily;' },
  { id: 'ban-drop-database', flagged: 'DROP DATABASE shop;', safe: 'CREATE TABLE shop (id bigint);' },
  { id: 'ban-truncate-cascade', flagged: 'TRUNCATE orders CASCADE;', safe: 'TRUNCATE order_lines, orders;' },
];

describe('migration lint rules', () => {
  for (const { id, flagged, safe, options } of cases) {
    it(`${id}: flags ${flagged.split('\n').join(' ')}`, async () => {
      expect(await errorIds(flagged, options)).toContain(id);
    });
    it(`${id}: accepts ${safe.split('\n').join(' ')}`, async () => {
      expect(await errorIds(safe, options)).toEqual([]);
    });
  }

  it('warns (without failing) on a domain created with a constraint and on 32-bit ids', async () => {
    const result = await lintMigration('CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);\nCREATE TABLE t (id serial PRIMARY KEY);', 'm.sql');
    expect(result.findings.map((f) => [f.id, f.level])).toEqual([
      ['ban-create-domain-with-constraint', 'warning'],
      ['prefer-bigint-over-int', 'warning'],
    ]);
    expect((await lintMigration('CREATE DOMAIN email AS text;\nCREATE TABLE t (id bigint);', 'm.sql')).findings).toEqual([]);
  });
});

describe('migration lint context', () => {
  it('treats a table created earlier in the same migration as having no readers', async () => {
    const sql = [
      'CREATE TABLE fresh (id bigint, email text, n bigint);',
      'ALTER TABLE fresh ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();',
      'ALTER TABLE fresh ALTER COLUMN email SET NOT NULL;',
      'ALTER TABLE fresh ALTER COLUMN n TYPE numeric;',
      'ALTER TABLE fresh ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES users (id);',
      'ALTER TABLE fresh ADD CONSTRAINT uq UNIQUE (email);',
      'CREATE INDEX fresh_email ON fresh (email);',
      'DROP INDEX fresh_email;',
      'ALTER TABLE fresh DROP COLUMN n;',
      'ALTER TABLE fresh RENAME TO fresher;',
      'ALTER TABLE fresher RENAME COLUMN email TO mail;',
      'DROP TABLE fresher;',
    ].join('\n');
    expect(await errorIds(sql)).toEqual([]);
  });

  it('still flags the same statements on a table the migration did not create', async () => {
    const ids = await errorIds('CREATE TABLE fresh (id bigint);\nALTER TABLE other ALTER COLUMN email SET NOT NULL;\nCREATE INDEX i ON other (email);');
    expect(ids).toEqual(['adding-not-nullable-field', 'require-concurrent-index-creation']);
  });

  it('tells tables of the same name in different schemas apart', async () => {
    expect(await errorIds('CREATE TABLE audit.users (id bigint);\nALTER TABLE users DROP COLUMN email;')).toEqual(['ban-drop-column']);
  });

  it('sees a table created before the current statement only, not after', async () => {
    expect(await errorIds('CREATE INDEX i ON later (id);\nCREATE TABLE later (id bigint);')).toEqual(['require-concurrent-index-creation']);
  });

  it('does not take an unvalidated NOT NULL check as the safe path for SET NOT NULL', async () => {
    const sql = 'ALTER TABLE users ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;';
    expect(await errorIds(sql)).toEqual(['adding-not-nullable-field']);
  });
});

describe('migration lint lock timeout', () => {
  const warnings = async (sql: string): Promise<string[]> => (await lintMigration(sql, 'm.sql')).findings.filter((f) => f.level === 'warning').map((f) => `${f.id}@${f.location.line}`);

  it('warns once, at the first statement that locks a table in use, when no lock_timeout is set', async () => {
    expect(await warnings('CREATE TABLE n (id bigint);\nALTER TABLE users ADD COLUMN a text;\nALTER TABLE users ADD COLUMN b text;')).toEqual(['require-timeout-settings@2']);
  });

  it('is satisfied by SET lock_timeout, not by a zero one, and SET LOCAL lasts until COMMIT', async () => {
    expect(await warnings("SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN a text;")).toEqual([]);
    expect(await warnings('SET lock_timeout = 0;\nALTER TABLE users ADD COLUMN a text;')).toEqual(['require-timeout-settings@2']);
    expect(await warnings("BEGIN;\nSET LOCAL lock_timeout = '2s';\nALTER TABLE users ADD COLUMN a text;\nCOMMIT;\nDROP INDEX CONCURRENTLY i;\nALTER TABLE users ADD COLUMN b text;")).toEqual(['require-timeout-settings@6']);
  });

  it('does not ask for it when only new tables or CONCURRENTLY statements are touched', async () => {
    expect(await warnings('CREATE TABLE n (id bigint);\nALTER TABLE n ADD COLUMN a text;\nCREATE INDEX CONCURRENTLY i ON users (a);')).toEqual([]);
  });
});

describe('migration lint findings', () => {
  it('places each finding at its statement, with its explanation and alternative', async () => {
    const sql = "-- add the flag\nSET lock_timeout = '2s';\n\n  /* drop it */ ALTER TABLE users\n  DROP COLUMN é;";
    const [finding, ...rest] = (await lintMigration(sql, 'db/002.sql')).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: 'ban-drop-column', level: 'error', location: { file: 'db/002.sql', line: 4, column: 17 }, statement: 'ALTER TABLE users' });
    expect(finding!.text).toContain('users.é');
    expect(finding!.alternative).toMatch(/later migration/);
  });

  it('counts statement offsets in characters after multi-byte text', async () => {
    const sql = "SELECT 'ééé😀';\nSELECT 'ü'; DROP TABLE users;";
    const [finding] = (await lintMigration(sql, 'm.sql')).findings;
    expect(finding!.location).toEqual({ file: 'm.sql', line: 2, column: 13, offset: sql.indexOf('DROP') });
  });

  it('reads an empty or comment-only file as no statements', async () => {
    expect(await lintMigration('', 'm.sql')).toEqual({ file: 'm.sql', statements: 0, findings: [] });
    expect(await lintMigration('-- nothing yet\n', 'm.sql')).toEqual({ file: 'm.sql', statements: 0, findings: [] });
  });
});
