import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { parseConfig } from '../../src/config/load.js';
import type { Store } from '../../src/store/open.js';
import { importCatalog } from '../../src/store/repos/catalog.js';
import { createToken } from '../../src/store/repos/tokens.js';
import { addUser } from '../../src/store/repos/users.js';
import { createUpgrade } from '../../src/store/repos/upgrades.js';
import { component } from '../helpers/fixtures.js';
import { storeTargets } from '../helpers/stores.js';

describe('guards over the API', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  let upgradeId: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    await importCatalog(store, { files: ['a.yaml'], entities: [component('payments')], actor: 'alice' });
    await addUser(store, { name: 'olga', teams: ['team-a'], actor: 'alice' });
    await addUser(store, { name: 'oscar', teams: ['team-b'], actor: 'alice' });
    upgradeId = (await createUpgrade(store, { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash', fromVersions: ['4.17.15'], targetVersion: '4.17.21', services: ['payments'], changeClass: 'normal', createdBy: 'alice', reason: 'test' })).id;
    tokens.owner = (await createToken(store, { name: 'olga', user: 'olga', role: 'service-owner', actor: 'alice' })).secret;
    tokens.otherOwner = (await createToken(store, { name: 'oscar', user: 'oscar', role: 'service-owner', actor: 'alice' })).secret;
    tokens.viewer = (await createToken(store, { name: 'v', role: 'viewer', actor: 'alice' })).secret;
    tokens.operator = (await createToken(store, { name: 'op', role: 'operator', actor: 'alice' })).secret;
    app = await buildServer({ store, config: parseConfig('version: 1\nname: guards-api\n', 'f.yaml') });
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  const call = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });

  it('shows unknown notes to every role and takes an acknowledgment from an owner only', async () => {
    const notes = await call('GET', `/api/v1/upgrades/${upgradeId}/notes`, tokens.viewer!);
    expect(notes.statusCode).toBe(200);
    expect(notes.json()).toMatchObject({ status: 'unknown', breaking: null, migrations: null, acknowledged: null });
    expect((await call('POST', `/api/v1/upgrades/${upgradeId}/notes/ack`, tokens.viewer!, {})).statusCode).toBe(403);
    const stranger = await call('POST', `/api/v1/upgrades/${upgradeId}/notes/ack`, tokens.otherOwner!, {});
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json().message).toContain('owner of payments');
    const acked = await call('POST', `/api/v1/upgrades/${upgradeId}/notes/ack`, tokens.owner!, {});
    expect(acked.statusCode, acked.body).toBe(200);
    expect(acked.json().acknowledged).toMatchObject({ actor: 'user:olga', standing: 'owner of payments', current: true });
  });

  it('runs a drill for an operator, refuses one for a viewer, and lists it for everyone', async () => {
    expect((await call('POST', '/api/v1/drills', tokens.viewer!, { service: 'payments' })).statusCode).toBe(403);
    const run = await call('POST', '/api/v1/drills', tokens.operator!, { service: 'payments', weight: 20, requests: 30 });
    expect(run.statusCode, run.body).toBe(201);
    expect(run.json()).toMatchObject({ service: 'payments', outcome: 'pass' });
    expect(run.json().actor).toMatch(/^token:/);
    expect(run.json().rollbackMs).toBeGreaterThanOrEqual(0);
    const listed = await call('GET', '/api/v1/drills?service=payments', tokens.viewer!);
    expect(listed.json().items.map((d: { id: string }) => d.id)).toEqual([run.json().id]);
    expect((await call('POST', '/api/v1/drills', tokens.operator!, { service: 'nowhere' })).statusCode).toBe(404);
  }, 60_000);
});
