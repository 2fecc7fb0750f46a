import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog } from '../src/store/repos/operation-log.js';
import { buildServer } from '../src/api/server.js';
import { parseConfig } from '../src/config/load.js';
import type { Store } from '../src/store/open.js';
import { importCatalog, listEntities } from '../src/store/repos/catalog.js';
import { findingId, listFindings } from '../src/intake/store/findings.js';
import { importInventory, inventoryDrift } from '../src/store/repos/inventory.js';
import { createToken } from '../src/store/repos/tokens.js';
import { createUpgrade, listUpgrades } from '../src/store/repos/upgrades.js';
import { component, inventory, npm } from './helpers/fixtures.js';
import { planOf, recordingDb, scanLines } from './helpers/query-plans.js';
import { postgresSkipReason, storeTargets } from './helpers/stores.js';

const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

for (const target of storeTargets) {
  describe.skipIf(target.skip)(`REST API list paging (${target.dialect}${target.skip ? `: ${postgresSkipReason}` : ''})`, () => {
    let app: FastifyInstance;
    let store: Store;
    let cleanup: () => Promise<void>;
    let auth: { authorization: string };

    beforeAll(async () => {
      ({ store, cleanup } = await target.open());
      const services = names(23, 'svc');
      await importCatalog(store, { files: ['a.yaml'], entities: services.map((s) => component(s)), actor: 'alice' });
      // Upgrades created three at a time in the same millisecond: the id breaks the tie.
      for (let i = 0; i < 23; i++) {
        const at = new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 3)));
        const on = i % 3 === 0 ? ['svc00'] : i % 3 === 1 ? ['svc00', 'svc01'] : ['svc02'];
        await createUpgrade(store, { ecosystem: 'npm', name: `pkg${i}`, purl: `pkg:npm/pkg${i}`, fromVersions: ['1.0.0'], targetVersion: '2.0.0', services: on, changeClass: 'normal', createdBy: 'alice', reason: 'test' }, at);
      }
      // A service named like a prefix of another must not match it.
      await createUpgrade(store, { ecosystem: 'npm', name: 'x', purl: 'pkg:npm/x', fromVersions: ['1.0.0'], targetVersion: '2.0.0', services: ['svc0'], changeClass: 'normal', createdBy: 'alice', reason: 'test' });
      // Findings with equal service, environment, name and advisory (two versions of one package): the id breaks the tie.
      const rows = [];
      for (const service of ['svc00', 'svc01', 'svc02']) {
        for (const environment of ['production', 'staging']) {
          for (const version of ['1.0.0', '1.0.1']) {
            for (const advisory of ['GHSA-a', 'GHSA-b']) {
              const purl = `pkg:npm/lodash@${version}`;
              rows.push({ id: findingId({ advisoryId: advisory, service, environment, purl }), advisory_id: advisory, service, environment, purl, ecosystem: 'npm', name: 'lodash', version, direct: 1, fixed_in: '[]', status: version === '1.0.1' && advisory === 'GHSA-b' ? ('retired' as const) : ('open' as const), first_seen_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' });
            }
          }
        }
      }
      await store.db.insertInto('findings').values(rows).execute();
      // Drift: five services, eight packages each, every other one at a different version in production.
      for (const service of services.slice(0, 5)) {
        const packages = names(8, 'dep');
        await importInventory(store, { service, environment: 'staging', file: 's', sha256: `s-${service}`, parsed: inventory(packages.map((p) => npm(p, '1.0.0'))), actor: 'alice' });
        await importInventory(store, { service, environment: 'production', file: 'p', sha256: `p-${service}`, parsed: inventory(packages.map((p, i) => npm(p, i % 2 === 0 ? '0.9.0' : '1.0.0'))), actor: 'alice' });
      }
      auth = { authorization: `Bearer ${(await createToken(store, { name: 'test', role: 'viewer', actor: 'alice' })).secret}` };
      app = await buildServer({ store, config: parseConfig('version: 1\nname: paging\n', 'f.yaml') });
    });
    afterAll(async () => {
      await app?.close();
      await cleanup?.();
    });

    async function get(url: string) {
      const response = await app.inject({ url, headers: auth });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      return response.json();
    }

    /** Follows `next` from the first page to the last; every page is at most `limit` long. */
    async function walk(path: string, limit: number): Promise<unknown[]> {
      const all: unknown[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 200; pages++) {
        const sep = path.includes('?') ? '&' : '?';
        const page: { items: unknown[]; next: string | null } = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(limit);
        all.push(...page.items);
        if (page.next === null) return all;
        cursor = page.next;
      }
      throw new Error(`${path}: more than 200 pages`);
    }

    const lists: [string, number][] = [
      ['/api/v1/upgrades', 24],
      ['/api/v1/upgrades?service=svc00', 16],
      ['/api/v1/upgrades?state=intake&service=svc02', 7],
      ['/api/v1/findings', 18],
      ['/api/v1/findings?status=retired', 6],
      ['/api/v1/findings?service=svc01', 6],
      ['/api/v1/services', 23],
      ['/api/v1/inventory/drift', 20],
      ['/api/v1/inventory/drift?service=svc03', 4],
    ];

    it.each(lists)('walks %s page by page to exactly the whole list', async (path, total) => {
      const whole = await get(`${path}${path.includes('?') ? '&' : '?'}limit=1000`);
      expect(whole.items).toHaveLength(total);
      expect(whole.next).toBeNull();
      for (const limit of [1, 5, 7]) expect(await walk(path, limit)).toEqual(whole.items);
    });

    it('orders pages by a unique key and says where the next one starts', async () => {
      const upgrades = (await get('/api/v1/upgrades?limit=1000')).items as { createdAt: string; id: string }[];
      const key = (u: { createdAt: string; id: string }) => `${u.createdAt} ${u.id}`;
      expect(upgrades.map(key)).toEqual(upgrades.map(key).sort());
      const first = await get('/api/v1/upgrades?limit=3');
      expect(first.items).toHaveLength(3);
      expect(first.next).toEqual(expect.any(String));
      expect((await get('/api/v1/upgrades')).items).toHaveLength(24);
    });

    it('refuses a cursor from another list and limits outside 1..1000', async () => {
      const services = await get('/api/v1/services?limit=1');
      const wrong = await app.inject({ url: `/api/v1/upgrades?cursor=${services.next}`, headers: auth });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().message).toContain('cursor');
      for (const limit of ['0', '1001', '', '-1', '1.5', ' 1', '1e2', '0x10']) {
        const response = await app.inject({ url: `/api/v1/findings?limit=${encodeURIComponent(limit)}`, headers: auth });
        expect(response.statusCode, limit).toBe(400);
        expect(response.json().message, limit).toContain('limit');
      }
    });

    it('reads a deep page by a range search on an index, never a scan or a sort', async () => {
      const { db, queries } = recordingDb(store.db);
      const lastUpgrade = (await listUpgrades(store.db)).at(-3)!;
      await listUpgrades(db, { after: { createdAt: lastUpgrade.createdAt, id: lastUpgrade.id }, limit: 2 });
      await listUpgrades(db, { state: 'intake', after: { createdAt: lastUpgrade.createdAt, id: lastUpgrade.id }, limit: 2 });
      const finding = (await listFindings(store.db, { status: 'open' })).at(-3)!;
      const after = { service: finding.service, environment: finding.environment, name: finding.name, advisoryId: finding.advisoryId, id: finding.id };
      await listFindings(db, { status: 'open', after, limit: 2 });
      await listFindings(db, { status: 'open', service: finding.service, after, limit: 2 });
      await listEntities(db, { kind: 'Component', after: 'component:default/svc20', limit: 2 });
      await inventoryDrift(db, { environments: ['staging', 'production'], after: { service: 'svc03', ecosystem: 'npm', name: 'dep04' }, limit: 2 });
      await inventoryDrift(db, { environments: ['staging', 'production'], service: 'svc03', after: { service: 'svc03', ecosystem: 'npm', name: 'dep04' }, limit: 2 });
      for await (const _ of readLog(db, { after: 5, pageSize: 2 })) break;
      for await (const _ of readLog(db, { subject: 'svc00/staging', after: 5, pageSize: 2 })) break;
      const listQueries = queries.filter((q) => /order by/i.test(q.sql));
      expect(listQueries).toHaveLength(9);
      for (const query of listQueries) {
        const plan = await planOf(store, query);
        expect(scanLines(store.dialect, plan), `${query.sql}\n${plan.join('\n')}`).toEqual([]);
      }
    });

    it('serves a page deep in a 200,000-entry log with one range query', async () => {
      // Rows written directly (not chained): paging reads them, it does not verify them.
      await sql`delete from oplog`.execute(store.db);
      const rows = store.dialect === 'sqlite'
        ? sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 200000)
              insert into oplog (seq, at, actor, action, subject, reason, evidence_ref, prev_hash, hash)
              select i, '2026-01-01T00:00:00.000Z', 'user:bench', 'evidence.analysis', 'upg_' || (i % 97), 'within limits', null, '', '' from n`
        : sql`insert into oplog (seq, at, actor, action, subject, reason, evidence_ref, prev_hash, hash)
              select i, '2026-01-01T00:00:00.000Z', 'user:bench', 'evidence.analysis', 'upg_' || (i % 97), 'within limits', null, '', '' from generate_series(1, 200000) as i`;
      await rows.execute(store.db);
      const { db, queries } = recordingDb(store.db);
      const counted = await buildServer({ store: { ...store, db }, config: parseConfig('version: 1\nname: paging\n', 'f.yaml') });
      try {
        const response = await counted.inject({ url: '/api/v1/log?after=199990&limit=5', headers: auth });
        expect(response.json().entries.map((e: { seq: number }) => e.seq)).toEqual([199991, 199992, 199993, 199994, 199995]);
        expect(response.json().next).toBe(199995);
        const last = (await counted.inject({ url: '/api/v1/log?after=199995&limit=5', headers: auth })).json();
        expect(last.entries.map((e: { seq: number }) => e.seq)).toEqual([199996, 199997, 199998, 199999, 200000]);
        expect(last.next).toBeNull();
        const bySubject = (await counted.inject({ url: '/api/v1/log?after=199000&limit=2&subject=upg_5', headers: auth })).json();
        expect(bySubject.entries.map((e: { seq: number }) => e.seq)).toEqual([199049, 199146]);
      } finally {
        await counted.close();
      }
      // Each page was one query on the log (it used to be one query per two entries from the start).
      const logQueries = queries.filter((q) => /from "oplog"/.test(q.sql));
      expect(logQueries).toHaveLength(3);
      for (const query of logQueries) expect(scanLines(store.dialect, await planOf(store, query)), query.sql).toEqual([]);
    }, 120_000);
  });
}
