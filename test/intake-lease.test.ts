import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog, verifyLog } from '../src/store/repos/operation-log.js';
import { importCatalogFiles, importInventoryFiles } from '../src/app/import-files.js';
import { fixedClock } from '../src/core/clock.js';
import type { UfError } from '../src/core/errors.js';
import { migratorFor, openStore, type Store, type StoreOptions } from '../src/store/open.js';
import { acquireLease, releaseLease, renewLease } from '../src/store/repos/leases.js';
import { createUpgrade, listUpgrades } from '../src/store/repos/upgrades.js';
import { runUf } from './helpers/cli.js';
import { postgresSkipReason, postgresUrl } from './helpers/stores.js';
import { cycloneDxBom as bom } from './helpers/fixtures.js';

const demo = join(process.cwd(), 'demo-data');
const catalog = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: web }
spec: { type: website, lifecycle: production, owner: group:web }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: api }
spec: { type: service, lifecycle: production, owner: group:api }
`;


const lodash = { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash', fromVersions: ['4.17.15'], targetVersion: '4.17.21', services: ['web'], changeClass: 'normal' as const, createdBy: 'test', reason: 'test' };
const openStates = new Set(['intake', 'triaged', 'compat', 'canary', 'progressive', 'verifying']);

interface Target {
  dialect: 'sqlite' | 'postgres';
  skip: boolean;
  /** Store options for this process, and the environment a `uf` process needs to reach the same store. */
  make(dir: string): Promise<{ options: StoreOptions; env: Record<string, string>; drop: () => Promise<void> }>;
}

const targets: Target[] = [
  {
    dialect: 'sqlite',
    skip: false,
    make: async (dir) => ({ options: { sqlitePath: join(dir, '.uf', 'factory.db') }, env: { UF_DATABASE_URL: '' }, drop: async () => {} }),
  },
  {
    dialect: 'postgres',
    skip: postgresUrl === undefined,
    async make() {
      const schema = `uf_lease_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create schema "${schema}"`);
      await admin.end();
      const url = new URL(postgresUrl!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return {
        options: { url: postgresUrl!, schema },
        env: { UF_DATABASE_URL: url.toString() },
        drop: async () => {
          const client = new pg.Client({ connectionString: postgresUrl });
          await client.connect();
          await client.query(`drop schema if exists "${schema}" cascade`);
          await client.end();
        },
      };
    },
  },
];

for (const target of targets) {
  describe.skipIf(target.skip)(`intake lease and one open upgrade per component on ${target.dialect}${target.skip ? ` (${postgresSkipReason})` : ''}`, () => {
    let dir: string;
    let options: StoreOptions;
    let env: Record<string, string>;
    let drop: () => Promise<void>;
    const withStore = async <T>(fn: (store: Store) => Promise<T>): Promise<T> => {
      const store = await openStore(options);
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'uf-lease-'));
      ({ options, env, drop } = await target.make(dir));
      cpSync(join(demo, 'advisories'), join(dir, 'advisories'), { recursive: true });
      writeFileSync(join(dir, 'catalog.yaml'), catalog);
      writeFileSync(join(dir, 'factory.yaml'), 'version: 1\nintake:\n  advisories: [advisories]\n');
      writeFileSync(join(dir, 'web.cdx.json'), bom([['npm', 'lodash', '4.17.15'], ['npm', 'express', '4.18.2'], ['npm', 'left-pad', '1.3.0']]));
      writeFileSync(join(dir, 'api.cdx.json'), bom([['maven', 'org.apache.logging.log4j:log4j-core', '2.14.1'], ['npm', 'lodash', '4.17.20']]));
      await withStore(async (store) => {
        await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'test');
        const jobs = ['web', 'api'].map((service) => ({ service, environment: 'production', file: join(dir, `${service}.cdx.json`) }));
        const outcomes = await importInventoryFiles(store, jobs, { environments: ['staging', 'production'], actor: 'test' });
        expect(outcomes.flatMap((o) => o.errors)).toEqual([]);
      });
    });
    afterAll(async () => {
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('runs concurrent `uf intake run`s one after the other: all succeed, each component gets one upgrade', { timeout: 240_000 }, async () => {
      const runs = await Promise.all([1, 2, 3].map(() => runUf(['intake', 'run', '--json'], { cwd: dir, env })));
      for (const r of runs) expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
      const summaries = runs.map((r) => JSON.parse(r.stdout) as { status: string; upgrades: { created: string[] } });
      // Later runs waited for the first, then found nothing changed (or re-ran to the same result).
      expect(summaries.flatMap((s) => s.upgrades.created)).toHaveLength(3);
      await withStore(async (store) => {
        const open = (await listUpgrades(store.db)).filter((u) => openStates.has(u.state));
        expect(open.map((u) => u.name).sort()).toEqual(['express', 'lodash', 'org.apache.logging.log4j:log4j-core']);
        expect((await listUpgrades(store.db)).length).toBe(3);
        expect((await verifyLog(store.db)).ok).toBe(true);
        expect(await store.db.selectFrom('leases').selectAll().execute()).toEqual([]);
      });
    });

    it('with --no-wait, names the run that holds the lease and exits 2', { timeout: 120_000 }, async () => {
      await withStore((store) => acquireLease(store.db, 'intake', 'uf@ci-runner-7:4242', 600_000, store.clock));
      try {
        const refused = await runUf(['intake', 'run', '--no-wait', '--force'], { cwd: dir, env });
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(/^uf: another intake run holds the lease since \d{4}-\d\d-\d\dT[\d:.]+Z \(holder uf@ci-runner-7:4242, expires .*\); try again when it finishes\n$/);
      } finally {
        await withStore((store) => releaseLease(store.db, 'intake', 'uf@ci-runner-7:4242'));
      }
    });

    it('hands a lease to one holder at a time, takes over an expired one, and refuses a lost renewal', async () => {
      await withStore(async (store) => {
        const clock = fixedClock('2026-11-30T10:00:00Z');
        expect(await acquireLease(store.db, 'rollout:r1', 'a', 30_000, clock)).toMatchObject({ acquired: true });
        expect(await acquireLease(store.db, 'rollout:r1', 'b', 30_000, clock)).toEqual({
          acquired: false,
          heldBy: { name: 'rollout:r1', holder: 'a', acquiredAt: '2026-11-30T10:00:00.000Z', expiresAt: '2026-11-30T10:00:30.000Z' },
        });
        clock.advance(20_000);
        await renewLease(store.db, 'rollout:r1', 'a', 30_000, clock);
        clock.advance(20_000);
        expect(await acquireLease(store.db, 'rollout:r1', 'b', 30_000, clock)).toMatchObject({ acquired: false });
        clock.advance(11_000);
        expect(await acquireLease(store.db, 'rollout:r1', 'b', 30_000, clock)).toMatchObject({ acquired: true, lease: { holder: 'b' } });
        await expect(renewLease(store.db, 'rollout:r1', 'a', 30_000, clock)).rejects.toMatchObject({ code: 'conflict' });
        await releaseLease(store.db, 'rollout:r1', 'b');
        expect(await acquireLease(store.db, 'rollout:r1', 'a', 30_000, clock)).toMatchObject({ acquired: true });
        await releaseLease(store.db, 'rollout:r1', 'a');
      });
    });

    it('refuses a second open upgrade for the same component with a typed conflict', async () => {
      await withStore(async (store) => {
        const error = (await createUpgrade(store, { ...lodash, targetVersion: '4.17.22' }).catch((e: unknown) => e)) as UfError;
        expect(error.code).toBe('conflict');
        expect(error.message).toContain('a record with the same key already exists');
      });
    });

    it('repairs a store that already holds duplicate open upgrades when the migration applies', { timeout: 60_000 }, async () => {
      const ids = await withStore(async (store) => {
        // Back to the schema before the constraint, and write what two concurrent runs used to: the
        // same upgrade twice. The second row is copied from the first as the table stands then, so
        // the test does not depend on columns later migrations add.
        const first = await createUpgrade(store, { ...lodash, purl: 'pkg:npm/dup' });
        const down = await (await migratorFor(store)).migrateTo('004-list-indexes');
        expect(down.error).toBeUndefined();
        // Going down past 012 drops the seals the log entries' hashes cover; a store that really stood
        // at 004 had no sealed entries, so its log starts again here.
        await store.db.deleteFrom('oplog').execute();
        await store.db.deleteFrom('oplog_head').execute();
        const row = await store.db.selectFrom('upgrades').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
        const secondId = `${first.id}-dup`;
        const later = new Date(Date.parse(row.created_at) + 1000).toISOString();
        await store.db.insertInto('upgrades').values({ ...row, id: secondId, created_at: later, updated_at: later }).execute();
        return [first.id, secondId];
      });
      await withStore(async (store) => {
        const dups = (await listUpgrades(store.db)).filter((u) => u.purl === 'pkg:npm/dup');
        expect(dups.map((u) => [u.id, u.state])).toEqual([
          [ids[0], 'intake'],
          [ids[1], 'superseded'],
        ]);
        const entries = [];
        for await (const e of readLog(store.db, { subject: ids[1]! })) entries.push(e);
        expect(entries.at(-1)).toMatchObject({ actor: 'uf:migration', action: 'upgrade.supersede', reason: expect.stringContaining(`duplicate of ${ids[0]}`) });
        expect((await verifyLog(store.db)).ok).toBe(true);
        await expect(createUpgrade(store, { ...lodash, purl: 'pkg:npm/dup' })).rejects.toMatchObject({ code: 'conflict' });
      });
    });
  });
}
