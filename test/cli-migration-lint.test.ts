import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf } from './helpers/cli.js';

/** `uf migration lint` as CI runs it on a migration folder: exit codes, locations, JSON. */
describe('uf migration lint', () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-cli-migration-'));
    writeFileSync(join(dir, 'safe.sql'), "-- expand step\nSET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';\nCREATE INDEX CONCURRENTLY users_status ON users (status);\n");
    writeFileSync(join(dir, 'unsafe.sql'), 'BEGIN;\nALTER TABLE users DROP COLUMN legacy;\nCOMMIT;\nCREATE INDEX users_email ON users (email);\n');
    writeFileSync(join(dir, 'broken.sql'), 'SELECT 1;\nALTER TABLE users ADD COLUM email text;\n');
    writeFileSync(join(dir, 'wrapped.sql'), 'CREATE INDEX CONCURRENTLY users_email ON users (email);\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on a migration that keeps the old version working', async () => {
    const result = await uf('migration', 'lint', 'safe.sql');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 file(s), 3 statement(s): 0 error(s), 0 warning(s)');
  }, 60_000);

  it('exits 1 and names each finding with file, line, column, rule id and alternative', async () => {
    const result = await uf('migration', 'lint', 'unsafe.sql');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^unsafe\.sql:2:1: error ban-drop-column: drops users\.legacy/m);
    expect(result.stdout).toMatch(/^unsafe\.sql:4:1: error require-concurrent-index-creation: /m);
    expect(result.stdout).toMatch(/^ {2}instead: CREATE INDEX CONCURRENTLY/m);
  }, 60_000);

  it('exits 2 on invalid SQL with file, line and column, and still lints the other files', async () => {
    const result = await uf('migration', 'lint', 'broken.sql', 'unsafe.sql', 'missing.sql');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('uf: broken.sql:2:35: invalid SQL: syntax error at or near "text"');
    expect(result.stderr).toContain('uf: missing.sql: cannot read the migration (ENOENT)');
    expect(result.stdout).toContain('ban-drop-column');
  }, 60_000);

  it('prints findings, errors and the exit code as JSON with --json', async () => {
    const result = await uf('migration', 'lint', '--json', 'unsafe.sql', 'broken.sql');
    expect(result.code).toBe(2);
    const body = JSON.parse(result.stdout) as { files: { file: string; findings: { id: string; location: { line: number } }[] }[]; errors: unknown[]; exitCode: number };
    expect(body.exitCode).toBe(2);
    expect(body.files[0]!.findings.map((f) => [f.id, f.location.line])).toEqual([
      ['ban-drop-column', 2],
      ['require-timeout-settings', 2],
      ['require-concurrent-index-creation', 4],
    ]);
    expect(body.errors).toEqual([{ code: 'parse_error', message: 'invalid SQL: syntax error at or near "text"', file: 'broken.sql', line: 2, column: 35 }]);
  }, 60_000);

  it('flags CONCURRENTLY when the migration tool wraps the file in a transaction', async () => {
    expect((await uf('migration', 'lint', 'wrapped.sql')).code).toBe(0);
    const wrapped = await uf('migration', 'lint', '--assume-in-transaction', 'wrapped.sql');
    expect(wrapped.code).toBe(1);
    expect(wrapped.stdout).toContain('ban-concurrent-index-creation-in-transaction');
  }, 60_000);
});
