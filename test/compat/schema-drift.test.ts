import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRunnerContract, contractConsumer } from '../../src/compat/checks/check-runner.contract.js';
import { parseMigration } from '../../src/compat/checks/migration-lint/parse.js';
import { createSchemaDriftRunner, detectDrift, type SchemaDriftSpec } from '../../src/compat/checks/schema-drift/index.js';
import type { CheckRequest } from '../../src/compat/types.js';

const url = process.env.UF_TEST_DATABASE_URL;
const tag = randomBytes(4).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'uf-drift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const migrations = {
  '001_init.sql': "-- users\nCREATE TYPE mood AS ENUM ('ok', 'sad');\nCREATE TABLE users (\n  id serial PRIMARY KEY,\n  email text NOT NULL UNIQUE,\n  status mood NOT NULL DEFAULT 'ok',\n  created_at timestamptz NOT NULL DEFAULT now()\n);\nCREATE INDEX users_created_at ON users (created_at);\n",
  '002_orders.sql':
    "CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  user_id integer NOT NULL REFERENCES users (id),\n  total numeric(10,2) NOT NULL CHECK (total >= 0)\n);\nCREATE INDEX CONCURRENTLY orders_user_id ON orders (user_id);\nCREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;\nCREATE FUNCTION order_count(uid integer) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM orders WHERE user_id = uid $$;\n",
  'broken.sql': 'CREATE TABLE a (id int);\nALTER TABLE a ADD COLUM b text;\n',
  'fails.sql': 'CREATE TABLE a (id int);\n\nALTER TABLE nope ADD COLUMN b text;\n',
  'fails-in-transaction.sql': 'BEGIN;\nCREATE TABLE a (id int);\nALTER TABLE nope ADD COLUMN b text;\nCOMMIT;\n',
  'bad-type.sql': 'CREATE TABLE a (\n  id int,\n  b nosuchtype\n);\n',
  'slow.sql': 'CREATE TABLE a (id int);\nSELECT pg_sleep(30);\n',
  'escapes.sql': 'CREATE TABLE a (id int);\nCREATE TABLE public.b (id int);\n',
};
for (const [name, sql] of Object.entries(migrations)) writeFileSync(join(dir, name), sql);
const files = ['001_init.sql', '002_orders.sql'];

describe.skipIf(!url)(url ? 'schema drift against PostgreSQL' : 'schema drift against PostgreSQL: skipped, UF_TEST_DATABASE_URL is not set', () => {
  const clean = `uf_test_drift_ok_${tag}`;
  const drifted = `uf_test_drift_changed_${tag}`;
  let client: pg.Client;

  /** A "live" schema: the migrations applied the way a tool would, plus the tool's bookkeeping table. */
  async function createLive(schema: string): Promise<void> {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path TO ${schema}`);
    for (const file of files) {
      for (const statement of await parseMigration(readFileSync(join(dir, file), 'utf8'), file)) await client.query(statement.text);
    }
    await client.query('CREATE TABLE schema_migrations (version bigint PRIMARY KEY)');
    await client.query('RESET search_path');
  }

  async function schemaExists(name: string): Promise<boolean> {
    const { rows } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name]);
    return rows.length > 0;
  }

  beforeAll(async () => {
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await createLive(clean);
    await createLive(drifted);
    await client.query(`ALTER TABLE ${drifted}.users ADD COLUMN nickname text`);
    await client.query(`DROP INDEX ${drifted}.users_created_at`);
    await client.query(`ALTER TABLE ${drifted}.users ALTER COLUMN status SET DEFAULT 'sad'`);
    await client.query(`ALTER TYPE ${drifted}.mood ADD VALUE 'meh'`);
  });
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${clean} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${drifted} CASCADE`);
    await client.end();
  });

  const env = { DRIFT_DB: url };
  const runner = createSchemaDriftRunner({ env });
  function request(schema: string, migrationFiles: string[] = files, databaseUrlEnv = 'DRIFT_DB'): CheckRequest<SchemaDriftSpec> {
    const spec = { id: 'drift', kind: 'schema-drift', databaseUrlEnv, schema, files: migrationFiles, required: true, tags: [], timeout: '5m' } satisfies SchemaDriftSpec;
    return { checkId: spec.id, kind: spec.kind, spec, upgradeId: 'u1', components: [], consumer: contractConsumer(), baseDir: dir, signal: new AbortController().signal };
  }

  checkRunnerContract('schema-drift', {
    create: () => runner,
    passing: () => request(clean),
    failing: () => request(drifted),
    broken: () => ({ request: request(clean, ['001_init.sql', 'missing.sql']), mentions: 'missing.sql' }),
    timeoutMs: 30_000,
  });

  it('finds no drift in a schema the migrations built, ignoring the tool bookkeeping table', async () => {
    const report = await detectDrift({ url: url!, schema: clean, files: files.map((name) => ({ path: join(dir, name), name })) });
    expect(report.items).toEqual([]);
    expect(Object.keys(report.expected.tables).sort()).toEqual(['orders', 'users']);
    expect(report.expected.tables.users!.columns.id!.default).toBe("nextval('users_id_seq'::regclass)");
    expect(report.expected.tables.orders!.constraints.orders_user_id_fkey).toBe('FOREIGN KEY (user_id) REFERENCES users(id)');
    expect(report.expected.tables.orders!.indexes.orders_user_id).toBe('CREATE INDEX orders_user_id ON orders USING btree (user_id)');
    expect(Object.keys(report.expected.functions)).toEqual(['order_count(integer)']);
  }, 30_000);

  it('names a column added, an index dropped, a default changed and an enum value added by hand', async () => {
    const scratch = `uf_drift_test_${tag}`;
    const report = await detectDrift({ url: url!, schema: drifted, files: files.map((name) => ({ path: join(dir, name), name })), scratchSchema: scratch });
    expect(report.items).toEqual([
      { id: 'enum-values-differ', object: 'mood', expected: "'ok', 'sad'", actual: "'ok', 'sad', 'meh'" },
      { id: 'column-unexpected', object: 'users.nickname', expected: null, actual: 'text' },
      { id: 'column-default-differs', object: 'users.status', expected: "'ok'::mood", actual: "'sad'::mood" },
      { id: 'index-missing', object: 'users.users_created_at', expected: 'CREATE INDEX users_created_at ON users USING btree (created_at)', actual: null },
    ]);
    expect(await schemaExists(scratch)).toBe(false);
  }, 30_000);

  it('reads a schema whose name needs quoting, index definitions included', async () => {
    const mixed = `Drift Mixed ${tag}`;
    await client.query(`CREATE SCHEMA "${mixed}"`);
    try {
      await client.query(`SET search_path TO "${mixed}"`);
      for (const statement of await parseMigration(migrations['001_init.sql'], '001_init.sql')) await client.query(statement.text);
      await client.query('RESET search_path');
      const report = await detectDrift({ url: url!, schema: mixed, files: [{ path: join(dir, '001_init.sql'), name: '001_init.sql' }] });
      expect(report.actual.tables.users!.indexes.users_created_at).toBe('CREATE INDEX users_created_at ON users USING btree (created_at)');
      expect(report.items).toEqual([]);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${mixed}" CASCADE`);
    }
  }, 30_000);

  it('fails the cell with one finding per drift item', async () => {
    const outcome = await runner.run(request(drifted));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toBe(`4 drift item(s) in schema ${drifted}, first enum-values-differ mood: 2 file(s), 7 statement(s), 2 table(s) expected`);
    expect(outcome.findings?.[1]).toEqual({ ruleId: 'column-unexpected', level: 'error', text: 'not created by the migrations, found text', location: `${drifted}.users.nickname` });
  }, 30_000);

  it('answers a statement PostgreSQL rejects with file:line, and drops the scratch schema', async () => {
    const scratch = `uf_drift_fails_${tag}`;
    const run = detectDrift({ url: url!, schema: clean, files: [{ path: join(dir, 'fails.sql'), name: 'fails.sql' }], scratchSchema: scratch });
    await expect(run).rejects.toMatchObject({ code: 'usage', location: { file: 'fails.sql', line: 3 } });
    await expect(run).rejects.toThrow('migration failed on PostgreSQL: relation "nope" does not exist');
    expect(await schemaExists(scratch)).toBe(false);
    // Inside the migration's own BEGIN the failure leaves the session in an aborted transaction: still dropped.
    const inTransaction = `uf_drift_fails_tx_${tag}`;
    const again = detectDrift({ url: url!, schema: clean, files: [{ path: join(dir, 'fails-in-transaction.sql'), name: 'fails-in-transaction.sql' }], scratchSchema: inTransaction });
    await expect(again).rejects.toMatchObject({ location: { file: 'fails-in-transaction.sql', line: 3 } });
    expect(await schemaExists(inTransaction)).toBe(false);
  }, 30_000);

  it('stops a long statement when its signal is aborted, and drops the scratch schema', async () => {
    const scratch = `uf_drift_slow_${tag}`;
    const controller = new AbortController();
    const started = performance.now();
    const run = detectDrift({ url: url!, schema: clean, files: [{ path: join(dir, 'slow.sql'), name: 'slow.sql' }], scratchSchema: scratch, signal: controller.signal });
    // Abort once the scratch schema exists, i.e. while the migration runs.
    while (!(await schemaExists(scratch)) && performance.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Error('lease lost'));
    // Cancelled mid-statement or stopped between statements, the error says why.
    await expect(run).rejects.toThrow('schema drift stopped: lease lost');
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(await schemaExists(scratch)).toBe(false);
  }, 30_000);

  it('points at the token PostgreSQL names when it gives a position', async () => {
    const outcome = await runner.run(request(clean, ['bad-type.sql']));
    expect(outcome).toMatchObject({ status: 'error', summary: 'bad-type.sql:3:5: migration failed on PostgreSQL: type "nosuchtype" does not exist' });
  }, 30_000);

  it('answers a syntax error with file:line before creating any scratch schema', async () => {
    const scratch = `uf_drift_broken_${tag}`;
    const run = detectDrift({ url: url!, schema: clean, files: [{ path: join(dir, 'broken.sql'), name: 'broken.sql' }], scratchSchema: scratch });
    await expect(run).rejects.toMatchObject({ code: 'parse_error', location: { file: 'broken.sql', line: 2 } });
    expect(await schemaExists(scratch)).toBe(false);
    const outcome = await runner.run(request(clean, ['broken.sql']));
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toContain('broken.sql:2:');
  }, 30_000);

  it('refuses a statement that names another schema, with file:line', async () => {
    const outcome = await runner.run(request(clean, ['escapes.sql']));
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toMatch(/^escapes\.sql:2:1: statement names "public\.b" with its schema/);
    const { rows } = await client.query("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'b'");
    expect(rows).toEqual([]);
  }, 30_000);

  it('names a missing environment variable, an unreachable database and a missing schema', async () => {
    expect(await runner.run(request(clean, files, 'NOT_SET_ANYWHERE'))).toMatchObject({ status: 'error', summary: expect.stringContaining('NOT_SET_ANYWHERE is not set') as string });
    const unreachable = await createSchemaDriftRunner({ env: { DRIFT_DB: 'postgres://nobody@127.0.0.1:1/none' } }).run(request(clean));
    expect(unreachable.status).toBe('error');
    expect(unreachable.summary).toContain('cannot connect to the database 127.0.0.1:1/none');
    const missing = await runner.run(request(`uf_test_drift_absent_${tag}`));
    expect(missing).toMatchObject({ status: 'error', summary: `uf_test_drift_absent_${tag}: schema "uf_test_drift_absent_${tag}" does not exist in the database` });
  }, 30_000);
});
