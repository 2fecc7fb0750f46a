import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { parseConfig } from '../../src/config/load.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Store } from '../../src/store/open.js';
import { createToken } from '../../src/store/repos/tokens.js';
import { describeRefusal, parseIncidentFile } from '../../src/verify/incidents/parse-file.js';
import { recordIncidents } from '../../src/verify/incidents/service.js';
import { listIncidents } from '../../src/verify/incidents/store.js';
import { storeTargets } from '../helpers/stores.js';
import { seedDoraHistory } from './dora-history.js';

describe('incident files', () => {
  it('CSV: refused rows name the file, line and field; the rest go through', () => {
    const csv = [
      'id,title,service,severity,started_at,resolved_at,change,tags',
      'INC-1,Checkout errors,checkout,SEV-2,2026-11-02T05:00:00Z,2026-11-02T06:00:00Z,,',
      'INC-2,"Search, slow",search,urgent,2026-11-11T08:00:00Z,,,',
      'INC-3,No zone,search,P3,2026-11-11 08:00,,,',
      'INC-4,Tagged,payments,critical,2026-11-12T08:00:00+01:00,,,uf-change:upg_u5;team:shop',
    ].join('\n');
    const parsed = parseIncidentFile(csv, 'incidents.csv', 'csv');
    expect(parsed.accepted.map((i) => [i.externalId, i.severity, i.startedAt, i.changeRef])).toEqual([
      ['INC-1', 'sev2', '2026-11-02T05:00:00.000Z', null],
      ['INC-4', 'sev1', '2026-11-12T07:00:00.000Z', 'upg_u5'],
    ]);
    expect(parsed.refused.map(describeRefusal)).toEqual([
      'incidents.csv:3: id INC-2: severity: "urgent" is not a severity: use sev1..sev5, P1..P5, 1..5 or critical/high/medium/low/info',
      'incidents.csv:4: id INC-3: startedAt: "2026-11-11 08:00" is not an ISO-8601 time with a zone, such as 2026-11-03T10:00:00Z',
    ]);
  });

  it('JSON: records are named by index, unknown fields are refused', () => {
    const json = JSON.stringify({ incidents: [{ id: 7, title: 'ok', severity: 2, startedAt: '2026-11-01T00:00:00Z', upgrade: 'upg_x' }, { id: 'x', title: 'bad', severity: 'sev1', startedAt: '2026-11-01T00:00:00Z', sevrity: 1 }, { title: 'no id', severity: 'sev1', startedAt: '2026-11-01T00:00:00Z' }] });
    const parsed = parseIncidentFile(json, 'inc.json', 'json');
    expect(parsed.accepted).toMatchObject([{ externalId: '7', severity: 'sev2', changeRef: 'upg_x', source: 'import' }]);
    expect(parsed.refused.map((r) => [r.record, r.field])).toEqual([['[1]', '(record)'], ['[2]', 'id']]);
    expect(() => parseIncidentFile('{', 'inc.json', 'json')).toThrow(/not JSON/);
  });
});

for (const target of storeTargets) {
  describe.skipIf(target.skip)(`incidents in the store (${target.dialect})`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    const settings = { linkWindow: '24h', linkDependencies: true };
    beforeAll(async () => {
      ({ store, cleanup } = await target.open({ clock: fixedClock('2026-12-02T00:00:00Z') }));
      await seedDoraHistory(store);
    });
    afterAll(async () => cleanup?.());

    it('upserts by source and id, maps services, flags unknown ones and links by reference or window', async () => {
      const base = { source: 'import', severity: 'sev3' as const, resolvedAt: null, changeRef: null };
      await recordIncidents({ store, settings }, [
        { ...base, externalId: 'A', title: 'checkout 500s', service: 'checkout', startedAt: '2026-11-21T03:00:00.000Z' },
        { ...base, externalId: 'B', title: 'unknown service', service: 'billing-legacy', startedAt: '2026-11-21T03:00:00.000Z' },
        { ...base, externalId: 'C', title: 'named change', service: 'search', startedAt: '2026-11-25T00:00:00.000Z', changeRef: 'chg_upg_u3' },
        { ...base, externalId: 'D', title: 'too late', service: 'checkout', startedAt: '2026-11-23T00:00:01.000Z' },
      ], 'test');
      // Re-sent with a resolve time: updated, not duplicated.
      const [again] = await recordIncidents({ store, settings }, [{ ...base, externalId: 'A', title: 'checkout 500s', service: 'checkout', startedAt: '2026-11-21T03:00:00.000Z', resolvedAt: '2026-11-21T04:00:00.000Z' }], 'test');
      expect(again!.outcome).toBe('updated');
      const all = await listIncidents(store.db, { from: '2026-11-20T00:00:00Z' });
      expect(all.map((i) => [i.id, i.serviceKnown, i.link?.upgradeId ?? null, i.link?.kind ?? null])).toEqual([
        ['import:A', true, 'upg_u5', 'service-window'],
        ['import:B', false, null, null],
        ['import:D', true, null, null],
        ['import:C', true, 'upg_u3', 'explicit'],
      ]);
      expect(all[0]!.resolvedAt).toBe('2026-11-21T04:00:00.000Z');
      expect(all[2]!.unlinkedReason).toMatch(/no deployment on checkout started within 1d before it/);
    });
  });
}

describe('incident webhook and read routes', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  const call = (method: 'GET' | 'POST', url: string, role?: string, payload?: unknown) =>
    app.inject({ method, url, ...(role ? { headers: { authorization: `Bearer ${tokens[role]}` } } : {}), ...(payload !== undefined ? { payload: payload as object } : {}) });

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open({ clock: fixedClock('2026-12-02T00:00:00Z') }));
    await seedDoraHistory(store);
    for (const role of ['viewer', 'operator', 'approver'] as const) tokens[role] = (await createToken(store, { name: role, role, actor: 'test' })).secret;
    app = await buildServer({ store, config: parseConfig('version: 1\n', 'factory.yaml') });
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  const pagerDuty = (eventType: string, occurredAt: string) => ({
    event: {
      id: 'evt-1',
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: occurredAt,
      data: { id: 'PT4KHLK', type: 'incident', title: 'Checkout is on fire', urgency: 'high', priority: { summary: 'P1' }, service: { id: 'PIJ90N7', summary: 'checkout' }, created_at: '2026-11-21T02:00:00Z', status: 'triggered' },
    },
  });

  it('refuses a payload without a valid token, and roles outside operator and admin', async () => {
    expect((await call('POST', '/api/v1/incidents/webhook', undefined, pagerDuty('incident.triggered', '2026-11-21T02:00:00Z'))).statusCode).toBe(401);
    const forged = await app.inject({ method: 'POST', url: '/api/v1/incidents/webhook', headers: { authorization: 'Bearer forged-secret' }, payload: pagerDuty('incident.triggered', '2026-11-21T02:00:00Z') });
    expect(forged.statusCode).toBe(401);
    expect((await call('POST', '/api/v1/incidents/webhook', 'viewer', pagerDuty('incident.triggered', '2026-11-21T02:00:00Z'))).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/incidents/webhook', 'approver', pagerDuty('incident.triggered', '2026-11-21T02:00:00Z'))).statusCode).toBe(403);
    expect(await listIncidents(store.db)).toEqual([]);
  });

  it('PagerDuty triggered then resolved: one incident, sev1, linked to the deployment before it', async () => {
    const opened = await call('POST', '/api/v1/incidents/webhook', 'operator', pagerDuty('incident.triggered', '2026-11-21T02:00:00Z'));
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({ outcome: 'created', incident: { id: 'pagerduty:PT4KHLK', severity: 'sev1', service: 'checkout', serviceKnown: true, startedAt: '2026-11-21T02:00:00.000Z', link: { upgradeId: 'upg_u5', kind: 'service-window' } } });
    const acked = await call('POST', '/api/v1/incidents/webhook', 'operator', pagerDuty('incident.acknowledged', '2026-11-21T02:05:00Z'));
    expect(acked.json()).toMatchObject({ outcome: 'ignored' });
    const resolved = await call('POST', '/api/v1/incidents/webhook', 'operator', pagerDuty('incident.resolved', '2026-11-21T02:45:00Z'));
    expect(resolved.json()).toMatchObject({ outcome: 'updated', incident: { resolvedAt: '2026-11-21T02:45:00.000Z', startedAt: '2026-11-21T02:00:00.000Z' } });
  });

  it('Opsgenie Create and Close, with the change named by a uf-change tag and an unknown entity flagged', async () => {
    const alert = { alertId: '052652ac', message: 'Payments timeouts', priority: 'P2', tags: ['uf-change:upg_u1'], entity: 'payments-legacy', createdAt: Date.parse('2026-11-02T07:00:00Z') };
    const created = await call('POST', '/api/v1/incidents/webhook', 'operator', { action: 'Create', alert, source: { name: 'web', type: 'API' } });
    expect(created.json()).toMatchObject({ outcome: 'created', incident: { id: 'opsgenie:052652ac', severity: 'sev2', service: 'payments-legacy', serviceKnown: false, link: { upgradeId: 'upg_u1', kind: 'explicit' } } });
    const closed = await call('POST', '/api/v1/incidents/webhook', 'operator', { action: 'Close', alert: { alertId: '052652ac', message: 'Payments timeouts', updatedAt: Date.parse('2026-11-02T08:30:00Z') * 1e6 } });
    expect(closed.json()).toMatchObject({ outcome: 'updated', incident: { resolvedAt: '2026-11-02T08:30:00.000Z', severity: 'sev2', link: { upgradeId: 'upg_u1' } } });
  });

  it('refuses a body of neither shape, naming the field', async () => {
    const bad = await call('POST', '/api/v1/incidents/webhook', 'operator', { event: { event_type: 'incident.triggered', data: { id: 'X' } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().message).toMatch(/event\.data\.title/);
    expect((await call('POST', '/api/v1/incidents/webhook', 'operator', { hello: 1 })).statusCode).toBe(422);
  });

  it('lists incidents and serves DORA to every role', async () => {
    const list = await call('GET', '/api/v1/incidents?service=checkout', 'viewer');
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual(['pagerduty:PT4KHLK']);
    const dora = await call('GET', '/api/v1/dora?period=2026-11&team=shop', 'viewer');
    expect(dora.statusCode).toBe(200);
    // Team shop: 4 deployments; U2#1 rolled back, U5#1 has the PagerDuty incident and U1#1 the
    // Opsgenie one that names it (started after its canary): 3 / 4.
    expect(dora.json().changeFailRate).toMatchObject({ numerator: 3, denominator: 4 });
    expect((await call('GET', '/api/v1/dora?period=2026-13', 'viewer')).statusCode).toBe(400);
  });
});
