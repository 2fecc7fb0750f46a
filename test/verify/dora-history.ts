import type { ChangeClass } from '../../src/core/upgrade/index.js';
import { appendLog } from '../../src/store/repos/operation-log.js';
import { createUpgrade } from '../../src/store/repos/upgrades.js';
import type { Store } from '../../src/store/open.js';

/**
 * A small history whose DORA figures are easy to compute by hand (see dora.test.ts), written the
 * way the factory writes it: upgrades, their gate transitions in the operation log, one change
 * record, one advisory with its publication date, and the catalog owners.
 *
 * November 2026 (30 days), services checkout (team shop) and search (team discovery):
 *   U1 checkout normal    created 11-01 00:00, change 11-01 12:00, canary 11-02 00:00, 100% 11-02 04:00, done 11-02 06:00; advisory published 10-31 00:00
 *   U2 checkout normal    created 11-03 00:00; #1 canary 11-04 00:00, promote 01:00, ROLLBACK 02:00; #2 canary 11-05 00:00, 100% 02:00, done 10:00
 *   U3 search   normal    created 11-10 00:00, change 11-10 00:00, canary 11-11 00:00, 100% 06:00, done 11-12 00:00  (incident 11-11 08:00..11:00)
 *   U4 search   emergency created 11-11 09:00 (while the incident is open), canary 09:30, 100% 10:00, done 10:30
 *   U5 checkout standard  created 11-20 00:00, canary 11-21 00:00, 100% 12:00, done 11-22 00:00
 *   U6 checkout normal    created 11-30 00:00, canary 12-01 00:00, 100% 12-01 01:00 (December: outside the period)
 */
export async function seedDoraHistory(store: Store): Promise<Record<'u1' | 'u2' | 'u3' | 'u4' | 'u5' | 'u6', string>> {
  const db = store.db;
  for (const [name, owner] of [['checkout', 'group:default/shop'], ['search', 'group:default/discovery']] as const) {
    const entity = { ref: `component:default/${name}`, kind: 'Component', namespace: 'default', name, owner, dependsOn: [], providesApis: [], consumesApis: [], factory: { criticalPaths: [] }, annotations: {}, source: { file: 'catalog-info.yaml', document: 0 } };
    await db.insertInto('catalog_entities').values({ ref: entity.ref, kind: 'Component', name, namespace: 'default', owner, system: null, tier: null, body: JSON.stringify(entity), source_file: 'catalog-info.yaml', imported_at: '2026-10-01T00:00:00.000Z' }).execute();
  }
  const make = async (id: string, service: string, changeClass: ChangeClass, target: string, createdAt: string) => {
    await createUpgrade(store, { id, ecosystem: 'npm', name: `lib-${id}`, purl: `pkg:npm/lib-${id}`, fromVersions: ['1.0.0'], targetVersion: target, services: [service], changeClass, createdBy: 'intake', reason: 'fixture' }, new Date(createdAt));
    return id;
  };
  const ids = {
    u1: await make('upg_u1', 'checkout', 'normal', '1.0.1', '2026-11-01T00:00:00Z'),
    u2: await make('upg_u2', 'checkout', 'normal', '1.0.1', '2026-11-03T00:00:00Z'),
    u3: await make('upg_u3', 'search', 'normal', '1.0.1', '2026-11-10T00:00:00Z'),
    u4: await make('upg_u4', 'search', 'emergency', '1.0.2', '2026-11-11T09:00:00Z'),
    u5: await make('upg_u5', 'checkout', 'standard', '1.0.1', '2026-11-20T00:00:00Z'),
    u6: await make('upg_u6', 'checkout', 'normal', '1.0.1', '2026-11-30T00:00:00Z'),
  };
  const steps: [string, string, string][] = [
    [ids.u1, 'start_canary', '2026-11-02T00:00:00Z'], [ids.u1, 'start_verification', '2026-11-02T04:00:00Z'], [ids.u1, 'complete', '2026-11-02T06:00:00Z'],
    [ids.u2, 'start_canary', '2026-11-04T00:00:00Z'], [ids.u2, 'promote', '2026-11-04T01:00:00Z'], [ids.u2, 'rollback', '2026-11-04T02:00:00Z'], [ids.u2, 'retry', '2026-11-04T03:00:00Z'],
    [ids.u2, 'start_canary', '2026-11-05T00:00:00Z'], [ids.u2, 'start_verification', '2026-11-05T02:00:00Z'], [ids.u2, 'complete', '2026-11-05T10:00:00Z'],
    [ids.u3, 'start_canary', '2026-11-11T00:00:00Z'], [ids.u3, 'start_verification', '2026-11-11T06:00:00Z'],
    [ids.u4, 'start_canary', '2026-11-11T09:30:00Z'], [ids.u4, 'start_verification', '2026-11-11T10:00:00Z'], [ids.u4, 'complete', '2026-11-11T10:30:00Z'],
    [ids.u3, 'complete', '2026-11-12T00:00:00Z'],
    [ids.u5, 'start_canary', '2026-11-21T00:00:00Z'], [ids.u5, 'start_verification', '2026-11-21T12:00:00Z'], [ids.u5, 'complete', '2026-11-22T00:00:00Z'],
    [ids.u6, 'start_canary', '2026-12-01T00:00:00Z'], [ids.u6, 'start_verification', '2026-12-01T01:00:00Z'],
  ];
  for (const [subject, event, at] of steps) {
    await db.transaction().execute((tx) => appendLog(tx, [{ actor: event === 'rollback' ? 'uf:rollout' : 'alice', action: `upgrade.${event}`, subject, reason: event === 'rollback' ? 'p95 latency breached its threshold at 25%' : 'fixture', evidenceRef: null, at: new Date(at).toISOString() }], new Date(at)));
  }
  for (const [upgrade, createdAt] of [[ids.u1, '2026-11-01T12:00:00.000Z'], [ids.u3, '2026-11-10T00:00:00.000Z']] as const) {
    await db
      .insertInto('change_requests')
      .values({ id: `chg_${upgrade}`, upgrade_id: upgrade, change_class: 'normal', status: 'authorized', fields: '{}', scope_digest: '0'.repeat(64), requested_by: 'alice', implementer: 'alice', template_id: null, planned_start: createdAt, planned_end: createdAt, review_due_at: null, reviewed_at: null, reviewed_by: null, review_notes: null, created_at: createdAt, updated_at: createdAt, version: 1 })
      .execute();
  }
  await db
    .insertInto('advisories')
    .values({ id: 'GHSA-fixture-0001', modified: '2026-10-31T00:00:00Z', withdrawn: null, aliases: '[]', summary: 'fixed in 1.0.1', body: JSON.stringify({ id: 'GHSA-fixture-0001', published: '2026-10-31T00:00:00Z' }), content_hash: 'x', source: 'fixture', first_seen_at: '2026-10-31T00:00:00Z', updated_at: '2026-10-31T00:00:00Z' })
    .execute();
  await db
    .insertInto('findings')
    .values({ id: 'fnd-u1', advisory_id: 'GHSA-fixture-0001', service: 'checkout', environment: 'production', purl: 'pkg:npm/lib-upg_u1', ecosystem: 'npm', name: 'lib-upg_u1', version: '1.0.0', direct: 1, fixed_in: '1.0.1', status: 'open', first_seen_at: '2026-10-31T00:00:00Z', updated_at: '2026-10-31T00:00:00Z' })
    .execute();
  return ids;
}
