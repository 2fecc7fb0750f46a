import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { lintMigration } from './index.js';

async function parseFailure(sql: string): Promise<UfError> {
  const error: unknown = await lintMigration(sql, 'db/003.sql').then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UfError)) throw new Error(`expected a UfError, got ${String(error)}`);
  return error;
}

describe('migration parsing', () => {
  it('reports invalid SQL as parse_error with file, line and column of the offending token', async () => {
    const error = await parseFailure('SELECT 1;\n\nALTER TABLE users ADD COLUM email text;');
    expect(error.code).toBe('parse_error');
    expect(error.location).toEqual({ file: 'db/003.sql', line: 3, column: 35 });
    expect(error.describe()).toBe('db/003.sql:3:35: invalid SQL: syntax error at or near "text"');
  });

  it('counts the error column in UTF-16 units after multi-byte text, as editors do', async () => {
    const error = await parseFailure("SELECT 'ü😀'; SELEC 1;");
    expect(error.location).toMatchObject({ line: 1, column: 15 });
  });

  it('reports an unterminated string at its opening quote', async () => {
    expect((await parseFailure("SELECT 1;\nINSERT INTO t VALUES ('oops);")).location).toMatchObject({ line: 2, column: 23 });
  });

  it('reports SQL nested past what the parser can hold as parse_error, not a crash', async () => {
    expect((await parseFailure(`SELECT ${'('.repeat(200_000)}1${')'.repeat(200_000)};`)).code).toBe('parse_error');
    expect((await parseFailure(`SELECT ${Array(20_000).fill('1').join('+')};`)).code).toBe('parse_error');
  });

  it('ignores a byte order mark at the start of the file and keeps columns where they were', async () => {
    const result = await lintMigration('\uFEFFDROP TABLE users;', 'm.sql');
    expect(result.findings[0]!.location).toMatchObject({ line: 1, column: 2 });
  });
});

const seeds = [
  'BEGIN;\nALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();\nCOMMIT;',
  'CREATE TABLE fresh (id bigint PRIMARY KEY, email text);\nCREATE INDEX fresh_email ON fresh (email);',
  "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT positive;\nUPDATE orders SET note = 'é😀' WHERE id = 1;",
  'CREATE INDEX CONCURRENTLY i ON users (lower(email)) WHERE deleted_at IS NULL;\nDROP INDEX CONCURRENTLY old_i;',
  'ALTER TABLE m DETACH PARTITION p CONCURRENTLY;\nALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0);\nREINDEX TABLE t;',
  "DO $$ BEGIN RAISE NOTICE 'x'; END $$;\nCOMMENT ON TABLE users IS 'people';\nALTER TABLE users RENAME COLUMN a TO b;",
];
const fragments = [';', '(', ')', "'", '"', '$$', '--', '/*', '*/', 'BEGIN;', 'COMMIT;', ' NOT VALID', ' CONCURRENTLY', 'ALTER TABLE ', 'DROP ', ',', '\n', '\\', 'é', '😀', '\u0000', 'DEFAULT now()', 'ADD COLUMN x int', 'CHECK (', 'IS NOT NULL'];

/** A seed migration with a few random edits: deletions, insertions of SQL fragments or any characters, swapped halves. */
const mutatedSql = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(
      fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 6, unit: 'grapheme' }), fc.constant(''))),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([seed, edits]) =>
    edits.reduce((sql, [at, cut, insert]) => {
      const position = sql.length === 0 ? 0 : at % sql.length;
      return sql.slice(0, position) + insert + sql.slice(position + cut);
    }, seed),
  );

/** Valid statements that touch the same few tables, for sequences in any order. */
const statementPool = [
  'BEGIN', 'COMMIT', 'ROLLBACK', "SET lock_timeout = '2s'", "SET LOCAL lock_timeout = '1s'",
  'CREATE TABLE users (id bigint PRIMARY KEY, email text)', 'CREATE TABLE IF NOT EXISTS audit.users (id int)',
  'ALTER TABLE users ADD COLUMN n int NOT NULL DEFAULT random()', 'ALTER TABLE users ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID',
  'ALTER TABLE users VALIDATE CONSTRAINT nn', 'ALTER TABLE users ALTER COLUMN email SET NOT NULL', 'ALTER TABLE users RENAME TO people',
  'ALTER TABLE people RENAME COLUMN email TO mail', 'CREATE INDEX CONCURRENTLY i ON users (email)', 'CREATE INDEX i ON people (mail)',
  'DROP INDEX i', 'DROP TABLE users, people', 'ALTER TABLE users DETACH PARTITION p', 'REFRESH MATERIALIZED VIEW v', 'VACUUM FULL',
  'ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0)', 'TRUNCATE users CASCADE', "UPDATE users SET email = '' WHERE id < 1000",
];

describe('migration lint on mutated SQL', () => {
  it('lints any sequence of valid statements without throwing, each finding with an id, a place and an alternative', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...statementPool), { maxLength: 12 }), fc.boolean(), async (statements, assumeInTransaction) => {
        const sql = statements.map((statement) => `${statement};\n`).join('');
        const result = await lintMigration(sql, 'm.sql', { assumeInTransaction });
        expect(result.statements).toBe(statements.length);
        for (const finding of result.findings) {
          expect(finding.id).toMatch(/^[a-z]+(-[a-z]+)+$/);
          expect(finding.location.line).toBeGreaterThanOrEqual(1);
          expect(finding.location.line).toBeLessThanOrEqual(statements.length);
          expect(finding.alternative.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('either lints or throws a parse_error UfError with a location, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedSql, fc.boolean(), async (sql, assumeInTransaction) => {
        try {
          const result = await lintMigration(sql, 'm.sql', { assumeInTransaction });
          for (const finding of result.findings) {
            expect(finding.location.line).toBeGreaterThanOrEqual(1);
            expect(finding.location.offset).toBeLessThanOrEqual(sql.length);
            expect(finding.text.length).toBeGreaterThan(0);
            expect(finding.alternative.length).toBeGreaterThan(0);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(UfError);
          expect((error as UfError).code).toBe('parse_error');
          expect((error as UfError).location?.file).toBe('m.sql');
        }
      }),
      { numRuns: 400 },
    );
  });
});
