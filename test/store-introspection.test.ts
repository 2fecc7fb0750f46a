import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open.js';
import { postgresSkipReason, postgresUrl, storeTargets } from './helpers/stores.js';

const postgres = storeTargets.find((t) => t.dialect === 'postgres')!;

describe.skipIf(postgres.skip)(`PostgreSQL introspection stays in the store's own schema${postgres.skip ? `: ${postgresSkipReason}` : ''}`, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });

  it("lists only its own schema's tables, so a sibling store dropping its schema cannot fail a migration", async () => {
    const a = await postgres.open();
    const b = await postgres.open();
    cleanups.push(a.cleanup);
    const [schemaA] = (await a.store.db.introspection.getSchemas()).map((s) => s.name);
    const tables = await a.store.db.introspection.getTables({ withInternalKyselyTables: true });
    expect(tables.length).toBeGreaterThan(10);
    expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([schemaA]));
    expect(tables.map((t) => t.name)).toContain('kysely_migration');
    // Dropping the sibling's schema while A opens again (re-running its migrator) does not disturb A.
    const [reopened] = await Promise.all([openStore({ url: postgresUrl!, schema: schemaA! }), b.cleanup()]);
    await reopened.close();
  });
});
