import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildServer } from '../src/api/server.js';
import { composeRoot } from '../src/app/root.js';
import { createRollouts } from '../src/app/rollouts.js';
import { parseConfig } from '../src/config/load.js';
import { fixedClock } from '../src/core/clock.js';
import { roles, writingRoles, type Role } from '../src/core/roles.js';
import type { Store } from '../src/store/open.js';
import { readLog } from '../src/store/repos/operation-log.js';
import { createToken } from '../src/store/repos/tokens.js';
import { storeTargets } from './helpers/stores.js';

const operators: Role[] = ['operator', 'service-owner', 'admin'];
const all = [...roles];

/**
 * Who may call each route: the authorization contract, written out by hand so that a change to a
 * route's roles is a visible change here. Every route the server registers must be listed (a new
 * route fails this test until someone decides who may call it), and each is called with a token
 * of every role: the allowed roles get past authorization (any answer but 401 or 403), the others
 * get 403 with the roles the route needs.
 */
const expected: Record<string, readonly Role[]> = {
  'GET /api/v1/info': all,
  'GET /api/v1/services': all,
  'GET /api/v1/entities/:ref/dependents': all,
  'GET /api/v1/inventory/drift': all,
  'GET /api/v1/inventory/end-of-life': all,
  'GET /api/v1/upgrades': all,
  'GET /api/v1/upgrades/:id': all,
  'GET /api/v1/findings': all,
  'GET /api/v1/log': all,
  'GET /api/v1/log/verify': all,
  'GET /api/v1/log/state': all,
  'GET /api/v1/log/tree': all,
  'GET /api/v1/log/checkpoints': all,
  'GET /api/v1/log/checkpoints/latest': all,
  'GET /api/v1/log/proof/inclusion/:seq': all,
  'GET /api/v1/log/proof/consistency': all,
  'POST /api/v1/intake/run': ['operator', 'security', 'admin'],
  'POST /api/v1/findings/:id/acceptances': ['security', 'service-owner', 'admin'],
  'GET /api/v1/events': all,
  'GET /api/v1/windows': all,
  'GET /api/v1/windows/services/:service': all,
  'GET /api/v1/windows/conflicts': all,
  'GET /api/v1/windows/occurrences': all,
  'POST /api/v1/rollouts/:id/override-window': ['approver', 'admin'],
  'GET /api/v1/drills': all,
  'GET /api/v1/incidents': all,
  'POST /api/v1/incidents/webhook': ['operator', 'admin'],
  'GET /api/v1/dora': all,
  'GET /api/v1/journeys': all,
  'POST /api/v1/journeys/:name/run': ['operator', 'admin'],
  'GET /api/v1/readouts/upgrades/:id': all,
  'GET /api/v1/readouts/periods/:period': all,
  'GET /api/v1/risk/calibration': all,
  'GET /api/v1/reviews/:id': all,
  'POST /api/v1/reviews': ['operator', 'service-owner', 'approver', 'security', 'admin'],
  'POST /api/v1/reviews/:id/actions': ['operator', 'service-owner', 'approver', 'security', 'admin'],
  'POST /api/v1/review-actions/:id/done': ['operator', 'service-owner', 'approver', 'security', 'admin'],
  'GET /api/v1/upgrades/:id/lessons': all,
  'POST /api/v1/drills': ['operator', 'service-owner', 'admin'],
  'GET /api/v1/upgrades/:id/notes': all,
  'POST /api/v1/upgrades/:id/notes/ack': ['service-owner', 'admin'],
  'GET /api/v1/notifications/deliveries': all,
  'GET /api/v1/maintenance/feed.atom': all,
  'GET /api/v1/maintenance/notes/:id': all,
  'GET /api/v1/whoami': all,
  'GET /api/v1/users': all,
  'GET /api/v1/teams': all,
  'POST /api/v1/users': ['admin'],
  'POST /api/v1/users/:name/disable': ['admin'],
  'GET /api/v1/tokens': ['admin', 'auditor', 'security'],
  'POST /api/v1/tokens': ['admin'],
  'POST /api/v1/tokens/:id/rotate': all,
  'POST /api/v1/tokens/:id/revoke': all,
  'GET /api/v1/changes': all,
  'GET /api/v1/changes/:id': all,
  'POST /api/v1/changes': ['operator', 'service-owner', 'security', 'admin'],
  'POST /api/v1/changes/:id/approve': writingRoles,
  'POST /api/v1/changes/:id/reject': writingRoles,
  'POST /api/v1/changes/:id/edit': ['operator', 'service-owner', 'security', 'admin'],
  'POST /api/v1/changes/:id/review': ['approver', 'security', 'admin'],
  'GET /api/v1/rollouts': all,
  'GET /api/v1/rollouts/:id': all,
  'POST /api/v1/rollouts': operators,
  'POST /api/v1/rollouts/:id/approve': writingRoles,
  'POST /api/v1/rollouts/:id/reject': writingRoles,
  'POST /api/v1/rollouts/:id/promote': operators,
  'POST /api/v1/rollouts/:id/pause': operators,
  'POST /api/v1/rollouts/:id/resume': operators,
  'POST /api/v1/rollouts/:id/abort': operators,
  'POST /api/v1/rollouts/:id/retry': operators,
  'GET /api/v1/upgrades/:id/compat': all,
  'POST /api/v1/upgrades/:id/compat/runs': operators,
  'POST /api/v1/upgrades/:id/compat/waivers': writingRoles,
};

describe('REST API authorization: every route with every role', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  const clock = fixedClock('2026-11-02T09:00:00.000Z');
  let base: string;

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open({ clock }));
    const config = parseConfig('version: 1\nname: authz-test\n', 'f.yaml');
    const parts = composeRoot({ config, file: undefined, baseDir: '.' }, { env: {}, logger: pino({ level: 'silent' }), clock });
    const root = { ...parts, store, close: () => Promise.resolve() };
    app = await buildServer({ store, config, root, rollouts: createRollouts(root, { routerFor: () => undefined }), compat: root });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  const routes = () => app.routeTable.filter((r) => !r.public && r.method !== 'HEAD');

  it('lists who may call every route the server registers, and nothing it does not', () => {
    const registered = routes().map((r) => `${r.method} ${r.url}`).sort();
    expect(registered.filter((r) => !(r in expected)), 'routes nobody decided the roles of').toEqual([]);
    expect(Object.keys(expected).filter((r) => !registered.includes(r)), 'listed routes the server does not have').toEqual([]);
  });

  it('never lets a read-only role change anything but its own token', () => {
    for (const [key, allowed] of Object.entries(expected)) {
      if (key.startsWith('GET ') || key.startsWith('POST /api/v1/tokens/:id/')) continue;
      expect(allowed, key).not.toContain('viewer');
      expect(allowed, key).not.toContain('auditor');
    }
  });

  it('lets exactly the expected roles past authorization on every route', async () => {
    const wrong: string[] = [];
    for (const route of routes()) {
      const key = `${route.method} ${route.url}`;
      for (const role of roles) {
        // A fresh token per call: the token routes may rotate or revoke the caller's own token.
        const { token, secret } = await createToken(store, { name: `${role}-probe`, role, actor: 'user:test', user: `${role}-person` });
        const url = route.url.replace(':id', route.url.startsWith('/api/v1/tokens/') ? token.id : 'no-such-id').replace(':ref', 'no-such-service').replace(':name', 'no-such-user');
        const controller = new AbortController();
        const response = await fetch(`${base}${url}`, {
          method: route.method,
          headers: { authorization: `Bearer ${secret}`, ...(route.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
          ...(route.method === 'POST' ? { body: '{}' } : {}),
          signal: controller.signal,
        });
        // The event stream never ends by itself: its status is the answer.
        const body = route.url === '/api/v1/events' ? '' : await response.text();
        controller.abort();
        const allowed = (expected[key] ?? []).includes(role);
        const refused = response.status === 401 || response.status === 403;
        if (allowed === refused) wrong.push(`${key} as ${role}: ${response.status} ${body.slice(0, 120)}`);
        if (!allowed && response.status === 403) expect(JSON.parse(body)).toMatchObject({ code: 'forbidden', message: expect.stringContaining(`the token has ${role}`) });
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('records refusals in the operation log, once a minute per caller, route and kind', async () => {
    const { secret } = await createToken(store, { name: 'viewer', role: 'viewer', actor: 'user:test', user: 'vera' });
    const before = await refusals();
    const post = () => fetch(`${base}/api/v1/users`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: '{}' });
    for (let i = 0; i < 5; i++) expect((await post()).status).toBe(403);
    await settle();
    const after = await refusals();
    expect(after.filter((e) => e.actor === 'user:vera')).toHaveLength(before.filter((e) => e.actor === 'user:vera').length + 1);
    clock.advance(61_000);
    expect((await post()).status).toBe(403);
    await settle();
    const last = (await refusals()).filter((e) => e.actor === 'user:vera').at(-1)!;
    expect(last).toMatchObject({ action: 'auth.refused.role', subject: 'POST /api/v1/users' });
    expect(last.reason).toContain('4 more refused since the last entry');
  });

  async function refusals() {
    const entries = [];
    for await (const entry of readLog(store.db)) if (entry.action.startsWith('auth.refused')) entries.push(entry);
    return entries;
  }
});

/** The refusal is logged after the answer; give the write a moment. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
}
