import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../src/store/repos/operation-log.js';
import { UfError } from '../src/core/errors.js';
import { openStore } from '../src/store/open.js';
import { createToken } from '../src/store/repos/tokens.js';
import { createUpgrade, listUpgrades } from '../src/store/repos/upgrades.js';
import { ufBin, runUf, type RunResult } from './helpers/cli.js';

const upgrade = (name: string, reason: string) => ({
  ecosystem: 'npm',
  name,
  purl: `pkg:npm/${name}`,
  fromVersions: ['1.0.0'],
  targetVersion: '1.0.1',
  services: ['web'],
  changeClass: 'normal' as const,
  createdBy: 'test',
  reason,
});

describe('storage faults on SQLite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-faults-'));
    chmodSync(dir, 0o755);
  });
  afterAll(() => {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a full database as one typed line naming the file, and writes nothing half-way', async () => {
    const path = join(dir, 'full.db');
    const store = await openStore({ sqlitePath: path });
    try {
      await createUpgrade(store, upgrade('small', 'fits'));
      // The database may not grow past its current size: exactly what a full disk does to SQLite.
      const pages = await sql<{ page_count: number }>`pragma page_count`.execute(store.db);
      await sql.raw(`pragma max_page_count = ${pages.rows[0]!.page_count}`).execute(store.db);
      const error = await createUpgrade(store, upgrade('big', 'x'.repeat(200_000))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UfError);
      expect((error as UfError).code).toBe('store_error');
      expect((error as UfError).describe()).toBe(`store ${path} is full (SQLITE_FULL): no room left on its disk or under its size limit; nothing of this change was written`);
      // The store still answers, the failed change left no trace, and the chain is intact.
      expect((await listUpgrades(store.db)).map((u) => u.name)).toEqual(['small']);
      expect((await verifyLog(store.db)).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('maps a duplicate key to a typed conflict', async () => {
    const store = await openStore({ sqlitePath: join(dir, 'dup.db') });
    try {
      const { token } = await createToken(store, { name: 'ci', role: 'viewer', actor: 'test' });
      const row = await store.db.selectFrom('api_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
      const error = await store.db.insertInto('api_tokens').values(row).execute().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'conflict' });
      expect((error as UfError).message).toContain('a record with the same key already exists');
    } finally {
      await store.close();
    }
  });

  describe('a read-only store', () => {
    // Root ignores file permissions; the commands then run as an unprivileged user so that the
    // permissions really apply (as they do for every user who is not root).
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    // That user must be able to reach the project (CI clones it under a private mktemp directory):
    // each directory above it gets search permission for others for the duration, then its mode back.
    const widened: { path: string; mode: number }[] = [];
    beforeAll(() => {
      if (!('uid' in asUser)) return;
      for (let path = dirname(dirname(ufBin)); path !== dirname(path); path = dirname(path)) {
        const mode = statSync(path).mode & 0o7777;
        if ((mode & 0o001) === 0) {
          widened.push({ path, mode });
          chmodSync(path, mode | 0o001);
        }
      }
    });
    afterAll(() => {
      for (const { path, mode } of widened) chmodSync(path, mode);
    });
    const uf = (cwd: string, args: string[]): Promise<RunResult> =>
      new Promise((resolve, reject) => {
        const env: NodeJS.ProcessEnv = { ...process.env, UF_ACTOR: 'user:test' };
        delete env.UF_DATABASE_URL;
        delete env.UF_CONFIG;
        const child = spawn(process.execPath, [ufBin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...asUser });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });

    for (const setup of [
      { name: 'read-only file in a writable directory', fileMode: 0o444, dirMode: 0o777 },
      { name: 'read-only file in a read-only directory (a read-only file system)', fileMode: 0o444, dirMode: 0o555 },
    ]) {
      it(`${setup.name}: read commands work, writes fail with a one-line reason`, { timeout: 180_000 }, async () => {
        const workspace = mkdtempSync(join(dir, 'ro-'));
        writeFileSync(join(workspace, 'factory.yaml'), 'version: 1\nstore: { path: data/factory.db }\n');
        expect((await runUf(['token', 'create', '--role', 'viewer', '--name', 'ci'], { cwd: workspace })).code).toBe(0);
        chmodSync(workspace, 0o755);
        chmodSync(join(workspace, 'data', 'factory.db'), setup.fileMode);
        chmodSync(join(workspace, 'data'), setup.dirMode);

        const verify = await uf(workspace, ['log', 'verify']);
        expect(verify.stderr).toBe('');
        expect(verify.code).toBe(0);
        expect(verify.stdout).toMatch(/^ok: 1 entries, chain intact/);
        const list = await uf(workspace, ['upgrades', 'list', '--json']);
        expect(list.code).toBe(0);
        expect(JSON.parse(list.stdout)).toEqual([]);

        const write = await uf(workspace, ['token', 'create', '--role', 'viewer', '--name', 'other']);
        expect(write.code).toBe(2);
        expect(write.stderr.trim().split('\n')).toHaveLength(1);
        expect(write.stderr).toMatch(/^uf: .*store .*factory\.db.*read-only/);
        expect(write.stderr).not.toMatch(/\n\s+at /);
      });
    }
  });
});
