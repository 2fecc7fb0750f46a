import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog, verifyLog } from '../src/store/repos/operation-log.js';
import { fixedClock } from '../src/core/clock.js';
import { UfError } from '../src/core/errors.js';
import type { Store } from '../src/store/open.js';
import { importCatalog, listEntities, findService } from '../src/store/repos/catalog.js';
import { importInventory, inventoryDrift, listComponents } from '../src/store/repos/inventory.js';
import { withLease } from '../src/store/repos/leases.js';
import { authenticate, createToken, listTokens } from '../src/store/repos/tokens.js';
import { addEvidence, applyTransition, createUpgrade, getUpgrade, listUpgrades } from '../src/store/repos/upgrades.js';
import { component, inventory, npm } from './helpers/fixtures.js';
import { postgresSkipReason, storeTargets } from './helpers/stores.js';

const policy = { rollbackDrillMaxAgeDays: 30 };

for (const target of storeTargets) {
  describe.skipIf(target.skip)(`store on ${target.dialect}${target.skip ? ` (${postgresSkipReason})` : ''}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await target.open());
    });
    afterAll(async () => cleanup?.());

    async function logCount(): Promise<number> {
      let n = 0;
      for await (const _ of readLog(store.db)) n++;
      return n;
    }

    it('imports the catalog, updates changed entities and removes ones gone from their file', async () => {
      const first = await importCatalog(store, { files: ['a.yaml'], entities: [component('gateway', ['auth']), component('auth'), component('legacy')], actor: 'alice' });
      expect(first).toEqual({ added: 3, updated: 0, removed: 0, unchanged: 0 });
      const again = await importCatalog(store, { files: ['a.yaml'], entities: [component('gateway', ['auth', 'catalog']), component('auth')], actor: 'alice' });
      expect(again).toEqual({ added: 0, updated: 1, removed: 1, unchanged: 1 });
      expect((await listEntities(store.db)).map((e) => e.name)).toEqual(['auth', 'gateway']);
      expect((await findService(store.db, 'gateway'))?.dependsOn).toEqual(['component:default/auth', 'component:default/catalog']);
      expect(await findService(store.db, 'legacy')).toBeUndefined();
    });

    it('replaces an inventory as a whole, skips an identical re-import, and shows drift', async () => {
      const prod = inventory([npm('lodash', '4.17.15'), npm('express', '4.17.1'), npm('qs', '6.5.2', false)]);
      const first = await importInventory(store, { service: 'gateway', environment: 'production', file: 'p.json', sha256: 'a1', parsed: prod, actor: 'alice' });
      expect(first).toMatchObject({ status: 'imported', components: 3, changed: { added: 3, removed: 0, versionChanged: 0 } });
      const same = await importInventory(store, { service: 'gateway', environment: 'production', file: 'p.json', sha256: 'a1', parsed: prod, actor: 'alice' });
      expect(same.status).toBe('unchanged');
      const staging = inventory([npm('lodash', '4.17.21'), npm('express', '4.17.1'), npm('axios', '1.7.4')]);
      await importInventory(store, { service: 'gateway', environment: 'staging', file: 's.json', sha256: 'b1', parsed: staging, actor: 'alice' });
      const drift = await inventoryDrift(store.db, { environments: ['staging', 'production'] });
      expect(drift.map((d) => [d.name, d.versions])).toEqual([
        ['axios', { staging: ['1.7.4'], production: [] }],
        ['lodash', { staging: ['4.17.21'], production: ['4.17.15'] }],
        ['qs', { staging: [], production: ['6.5.2'] }],
      ]);
      const second = await importInventory(store, { service: 'gateway', environment: 'production', file: 'p.json', sha256: 'a2', parsed: inventory([npm('lodash', '4.17.21'), npm('express', '4.17.1')]), actor: 'alice' });
      expect(second.changed).toEqual({ added: 0, removed: 1, versionChanged: 1 });
      expect((await listComponents(store.db, { service: 'gateway', environment: 'production' })).map((c) => c.purl)).toEqual([
        'pkg:npm/express@4.17.1',
        'pkg:npm/lodash@4.17.21',
      ]);
    });

    it('leaves the previous inventory and the log untouched when an import fails half-way', async () => {
      const before = await listComponents(store.db, { service: 'gateway', environment: 'production' });
      const entries = await logCount();
      const broken = inventory([npm('lodash', '4.17.21'), { ...npm('bad', '1.0.0'), version: null as unknown as string }]);
      await expect(importInventory(store, { service: 'gateway', environment: 'production', file: 'p.json', sha256: 'a3', parsed: broken, actor: 'alice' })).rejects.toThrow();
      expect(await listComponents(store.db, { service: 'gateway', environment: 'production' })).toEqual(before);
      expect(await logCount()).toBe(entries);
      const good = await importInventory(store, { service: 'gateway', environment: 'production', file: 'p.json', sha256: 'a3', parsed: inventory([npm('lodash', '4.17.21')]), actor: 'alice' });
      expect(good.status).toBe('imported');
    });

    it('moves an upgrade through gates, storing evidence and refusing a stale version', async () => {
      const created = await createUpgrade(store, { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash', fromVersions: ['4.17.15'], targetVersion: '4.17.21', services: ['gateway'], changeClass: 'normal', createdBy: 'alice', reason: 'GHSA-35jh-r3h4-6jhm' });
      const refused = applyTransition(store, created.id, 1, { event: 'triage', actor: 'alice', reason: 'scored', at: new Date().toISOString() }, policy);
      await expect(refused).rejects.toMatchObject({ code: 'gate_refused' });
      const scored = await addEvidence(store, created.id, 1, { kind: 'risk_score', outcome: 'pass', ref: 'risk:1', summary: 'score 72', recordedBy: 'uf', recordedAt: new Date().toISOString() });
      expect(scored.version).toBe(2);
      await expect(addEvidence(store, created.id, 1, { kind: 'risk_score', outcome: 'pass', ref: 'risk:2', summary: 'x', recordedBy: 'uf', recordedAt: new Date().toISOString() })).rejects.toMatchObject({ code: 'conflict' });
      const triaged = await applyTransition(store, created.id, 2, { event: 'triage', actor: 'alice', reason: 'scored', at: new Date().toISOString() }, policy);
      expect(triaged.state).toBe('triaged');
      const stored = await getUpgrade(store.db, created.id);
      expect(stored).toMatchObject({ state: 'triaged', version: 3, evidence: [{ kind: 'risk_score', stage: 'intake', summary: 'score 72' }] });
      expect((await listUpgrades(store.db, { state: 'triaged' })).map((u) => u.id)).toContain(created.id);
      expect(await listUpgrades(store.db, { service: 'nope' })).toEqual([]);
    });

    it('lets exactly one of two concurrent writers win', async () => {
      const u = await createUpgrade(store, { ecosystem: 'npm', name: 'qs', purl: 'pkg:npm/qs', fromVersions: ['6.5.2'], targetVersion: '6.5.3', services: ['gateway'], changeClass: 'standard', createdBy: 'alice', reason: 'test' });
      const attempts = await Promise.allSettled(
        ['a', 'b', 'c'].map((who) => addEvidence(store, u.id, 1, { kind: 'risk_score', outcome: 'pass', ref: who, summary: who, recordedBy: who, recordedAt: new Date().toISOString() })),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const a of attempts.filter((a) => a.status === 'rejected')) expect((a.reason as UfError).code).toBe('conflict');
      expect((await getUpgrade(store.db, u.id))?.evidence).toHaveLength(1);
    });

    it('creates tokens whose secrets are stored only as hashes', async () => {
      const { token, secret } = await createToken(store, { name: 'ci', role: 'operator', actor: 'alice' });
      expect(await authenticate(store.db, secret, store.clock.now())).toMatchObject({ id: token.id, role: 'operator' });
      expect(await authenticate(store.db, secret + 'x', store.clock.now())).toBeUndefined();
      expect(await authenticate(store.db, 'Bearer nonsense', store.clock.now())).toBeUndefined();
      const raw = await store.db.selectFrom('api_tokens').selectAll().execute();
      expect(JSON.stringify(raw)).not.toContain(secret);
      expect((await listTokens(store.db)).map((t) => t.name)).toContain('ci');
    });

    it('writes one chained log entry per change, and verify accepts the chain', async () => {
      const report = await verifyLog(store.db);
      expect(report.ok).toBe(true);
      expect(report.entries).toBe(await logCount());
      const actions = [];
      for await (const e of readLog(store.db)) actions.push(e.action);
      // catalog x2, inventory x3 (the unchanged and the failed ones wrote nothing), upgrade create,
      // evidence, triage, create, evidence, token: every state change and nothing else.
      expect(actions).toEqual([
        'catalog.import', 'catalog.import', 'inventory.import', 'inventory.import', 'inventory.import', 'inventory.import',
        'upgrade.create', 'evidence.risk_score', 'upgrade.triage', 'upgrade.create', 'evidence.risk_score', 'token.create',
      ]);
    });

    describe('tamper detection', () => {
      it('names an edited entry', async () => {
        await sql`update oplog set reason = 'nothing to see' where seq = 4`.execute(store.db);
        expect((await verifyLog(store.db)).firstBroken).toMatchObject({ seq: 4, problem: 'edited' });
        await restore();
      });

      it('names a deleted entry', async () => {
        const row = await store.db.selectFrom('oplog').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
        await store.db.deleteFrom('oplog').where('seq', '=', 5).execute();
        expect((await verifyLog(store.db)).firstBroken).toMatchObject({ seq: 5, problem: 'missing' });
        await store.db.insertInto('oplog').values(row).execute();
        expect((await verifyLog(store.db)).ok).toBe(true);
      });

      it('names reordered entries', async () => {
        const rows = await store.db.selectFrom('oplog').selectAll().where('seq', 'in', [6, 7]).orderBy('seq').execute();
        const [a, b] = rows as [typeof rows[0], typeof rows[0]];
        await store.db.deleteFrom('oplog').where('seq', 'in', [6, 7]).execute();
        // Swap positions, each keeping its own content and hash: only the chain links betray it.
        await store.db.insertInto('oplog').values([{ ...b, seq: 6 }, { ...a, seq: 7 }]).execute();
        const broken = (await verifyLog(store.db)).firstBroken;
        expect(broken?.seq).toBe(6);
        await store.db.deleteFrom('oplog').where('seq', 'in', [6, 7]).execute();
        await store.db.insertInto('oplog').values(rows).execute();
        expect((await verifyLog(store.db)).ok).toBe(true);
      });

      it('names a cut-off tail', async () => {
        const last = await store.db.selectFrom('oplog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
        await store.db.deleteFrom('oplog').where('seq', '=', last.seq).execute();
        expect((await verifyLog(store.db)).firstBroken).toMatchObject({ seq: last.seq, problem: 'truncated' });
        await store.db.insertInto('oplog').values(last).execute();
        expect((await verifyLog(store.db)).ok).toBe(true);
      });

      let original: { seq: number; reason: string } | undefined;
      beforeAll(async () => {
        original = await store.db.selectFrom('oplog').select(['seq', 'reason']).where('seq', '=', 4).executeTakeFirst();
      });
      async function restore(): Promise<void> {
        await store.db.updateTable('oplog').set({ reason: original!.reason }).where('seq', '=', 4).execute();
        expect((await verifyLog(store.db)).ok).toBe(true);
      }
    });
  });

  describe.skipIf(target.skip)(`store clock on ${target.dialect}`, () => {
    it('stamps rows, leases and log entries with the clock the store was opened with', async () => {
      const clock = fixedClock('2031-02-03T04:05:06.000Z');
      const { store, cleanup } = await target.open({ clock });
      try {
        const upgrade = await createUpgrade(store, { ecosystem: 'npm', name: 'qs', purl: 'pkg:npm/qs', fromVersions: ['6.5.2'], targetVersion: '6.5.3', services: ['gateway'], changeClass: 'standard', createdBy: 'alice', reason: 'test' });
        expect([upgrade.createdAt, upgrade.updatedAt]).toEqual(['2031-02-03T04:05:06.000Z', '2031-02-03T04:05:06.000Z']);
        clock.advance(60_000);
        const { token } = await createToken(store, { name: 'ci', role: 'operator', actor: 'alice' });
        expect(token.createdAt).toBe('2031-02-03T04:06:06.000Z');
        clock.advance(60_000);
        await importCatalog(store, { files: ['a.yaml'], entities: [component('gateway')], actor: 'alice' });
        await importInventory(store, { service: 'gateway', environment: 'production', file: 'p.json', sha256: 'c1', parsed: inventory([npm('qs', '6.5.2')]), actor: 'alice' });
        const imported = await store.db.selectFrom('inventory_imports').select('imported_at').executeTakeFirstOrThrow();
        expect(imported.imported_at).toBe('2031-02-03T04:07:06.000Z');
        const lease = await withLease(store, 'clock-test', { ttlMs: 30_000 }, () => store.db.selectFrom('leases').selectAll().executeTakeFirstOrThrow());
        expect([lease.acquired_at, lease.expires_at]).toEqual(['2031-02-03T04:07:06.000Z', '2031-02-03T04:07:36.000Z']);
        const log: [string, string][] = [];
        for await (const entry of readLog(store.db)) log.push([entry.action, entry.at]);
        expect(log).toEqual([
          ['upgrade.create', '2031-02-03T04:05:06.000Z'],
          ['token.create', '2031-02-03T04:06:06.000Z'],
          ['catalog.import', '2031-02-03T04:07:06.000Z'],
          ['inventory.import', '2031-02-03T04:07:06.000Z'],
        ]);
      } finally {
        await cleanup();
      }
    });
  });
}
