import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Clock } from '../../src/core/clock.js';
import { openStore, type Store } from '../../src/store/open.js';

/** The PostgreSQL server tests may use; when unset, PostgreSQL suites are skipped with this reason. */
export const postgresUrl = process.env.UF_TEST_DATABASE_URL;
export const postgresSkipReason = 'UF_TEST_DATABASE_URL is not set: PostgreSQL suite skipped (CI sets it)';

export interface StoreTarget {
  dialect: 'sqlite' | 'postgres';
  skip: boolean;
  /** Opens a fresh, empty store (on `clock`, when given); `cleanup` removes everything it created. */
  open(options?: { clock?: Clock }): Promise<{ store: Store; cleanup: () => Promise<void> }>;
}

export const storeTargets: StoreTarget[] = [
  {
    dialect: 'sqlite',
    skip: false,
    async open(options = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'uf-store-'));
      const store = await openStore({ sqlitePath: join(dir, 'factory.db'), ...options });
      return {
        store,
        cleanup: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    dialect: 'postgres',
    skip: postgresUrl === undefined,
    async open(options = {}) {
      // Each suite gets its own schema in the shared test database, dropped afterwards.
      const schema = `uf_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      const store = await openStore({ url: postgresUrl!, schema, ...options });
      return {
        store,
        cleanup: async () => {
          await store.close();
          const client = new pg.Client({ connectionString: postgresUrl });
          await client.connect();
          await client.query(`drop schema if exists "${schema}" cascade`);
          await client.end();
        },
      };
    },
  },
];

if (postgresUrl === undefined) console.warn(postgresSkipReason);
