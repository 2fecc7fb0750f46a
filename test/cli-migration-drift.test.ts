import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf } from './helpers/cli.js';

const url = process.env.UF_TEST_DATABASE_URL;

/** `uf migration drift` as an operator runs it: URL from the environment, exit codes, text and JSON. */
describe('uf migration drift: input errors', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-cli-drift-'));
    writeFileSync(join(dir, 'ok.sql'), 'CREATE TABLE a (id int);\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 naming the variable when the database URL is not in the environment', async () => {
    const result = await runUf(['migration', 'drift', '--database-url-env', 'NO_SUCH_DRIFT_URL', 'ok.sql'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('uf: environment variable NO_SUCH_DRIFT_URL is not set');
  }, 60_000);

  it('exits 2 with the reason when the database cannot be reached, without printing the password', async () => {
    const result = await runUf(['migration', 'drift', 'ok.sql'], { cwd: dir, env: { UF_DRIFT_DATABASE_URL: 'postgres://drift:s3cret@127.0.0.1:1/none' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('uf: cannot connect to the database 127.0.0.1:1/none');
    expect(result.stderr).not.toContain('s3cret');
  }, 60_000);
});

describe.skipIf(!url)(url ? 'uf migration drift against PostgreSQL' : 'uf migration drift against PostgreSQL: skipped, UF_TEST_DATABASE_URL is not set', () => {
  const live = `uf_test_cli_drift_${randomBytes(4).toString('hex')}`;
  let dir: string;
  let client: pg.Client;
  const uf = (...args: string[]) => runUf(['migration', 'drift', '--database-url-env', 'DRIFT_URL', '--schema', live, ...args], { cwd: dir, env: { DRIFT_URL: url! } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-cli-drift-'));
    writeFileSync(join(dir, '001.sql'), 'CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL);\n');
    writeFileSync(join(dir, '002.sql'), "ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';\n");
    writeFileSync(join(dir, 'broken.sql'), 'CREATE TABLE b (id int);\nALTER TABLE nope ADD COLUMN x int;\n');
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA ${live}`);
    await client.query(`CREATE TABLE ${live}.accounts (id bigserial PRIMARY KEY, name text NOT NULL, plan text NOT NULL DEFAULT 'free')`);
  });
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${live} CASCADE`);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 when the live schema matches, 1 with each item once it drifts', async () => {
    const clean = await uf('001.sql', '002.sql');
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(`schema ${live}: 2 file(s), 2 statement(s), 1 table(s) expected: no drift`);

    const partial = await uf('001.sql');
    expect(partial.code).toBe(1);
    expect(partial.stdout).toMatch(/^column-unexpected +accounts\.plan +not created by the migrations, found text not null default 'free'::text$/m);
    expect(partial.stdout).toContain('1 drift item(s)');
  }, 60_000);

  it('prints the items as JSON with --json', async () => {
    await client.query(`ALTER TABLE ${live}.accounts ALTER COLUMN name DROP NOT NULL`);
    try {
      const result = await uf('--json', '001.sql', '002.sql');
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toEqual({ schema: live, files: 2, statements: 2, exitCode: 1, items: [{ id: 'column-nullability-differs', object: 'accounts.name', expected: 'not null', actual: 'nullable' }] });
    } finally {
      await client.query(`ALTER TABLE ${live}.accounts ALTER COLUMN name SET NOT NULL`);
    }
  }, 60_000);

  it('exits 2 naming file:line when a migration fails, leaving no scratch schema behind', async () => {
    const before = await client.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'uf\\_drift\\_%'");
    const result = await uf('001.sql', 'broken.sql');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('uf: broken.sql:2:1: migration failed on PostgreSQL: relation "nope" does not exist');
    const after = await client.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'uf\\_drift\\_%'");
    expect(after.rows[0].n).toBeLessThanOrEqual(before.rows[0].n);
  }, 60_000);
});
