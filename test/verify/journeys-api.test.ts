import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { composeRoot } from '../../src/app/root.js';
import { parseConfig } from '../../src/config/load.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Store } from '../../src/store/open.js';
import { createToken } from '../../src/store/repos/tokens.js';
import { startShop, type ShopServer } from '../../src/verify/probes/testing.js';
import { storeTargets } from '../helpers/stores.js';

/** GET /api/v1/journeys and POST /api/v1/journeys/:name/run against a local shop. */
describe('journey probe API', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  let shop: ShopServer;
  let broken: ShopServer;
  let operator: string;
  let viewer: string;
  const clock = fixedClock('2026-12-02T10:00:00.000Z');

  beforeAll(async () => {
    shop = await startShop();
    broken = await startShop({ broken: true });
    ({ store, cleanup } = await storeTargets[0]!.open({ clock }));
    const config = parseConfig(
      [
        'version: 1',
        'journeys:',
        '  - name: checkout',
        '    service: shop',
        '    steps:',
        '      - { name: login, method: POST, url: /login, capture: { authToken: $.token } }',
        '      - { name: order, url: /orders/7, headers: { authorization: "Bearer ${authToken}" }, expect: { status: 200 } }',
        '',
      ].join('\n'),
      'factory.yaml',
    );
    const parts = composeRoot({ config, file: undefined, baseDir: '.' }, { env: {}, logger: pino({ level: 'silent' }), clock });
    app = await buildServer({ store, config, root: { ...parts } });
    operator = (await createToken(store, { name: 'op', role: 'operator', actor: 'user:test', user: 'olga' })).secret;
    viewer = (await createToken(store, { name: 'viewer', role: 'viewer', actor: 'user:test', user: 'vera' })).secret;
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
    await shop.close();
    await broken.close();
  });

  const call = (method: 'GET' | 'POST', url: string, secret: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

  it('lists the journeys to every role', async () => {
    const response = await call('GET', '/api/v1/journeys', viewer);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [{ name: 'checkout', service: 'shop', steps: 2, kinds: ['http'], iterations: 1, thresholds: {} }] });
  });

  it('runs a journey for an operator: passing against a good target, failing against a broken one', async () => {
    const good = await call('POST', '/api/v1/journeys/checkout/run', operator, { target: shop.url });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ journey: 'checkout', state: 'passing', via: 'the given target', iterations: [{ steps: [{ captures: { authToken: '[redacted]' } }, { status: 200 }] }] });
    const bad = await call('POST', '/api/v1/journeys/checkout/run', operator, { target: broken.url });
    expect(bad.json()).toMatchObject({ state: 'failing', reasons: [expect.stringContaining('expected 200, got 500')] });
  });

  it('refuses a viewer, an unknown journey and a service without a router', async () => {
    expect((await call('POST', '/api/v1/journeys/checkout/run', viewer, { target: shop.url })).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/journeys/nope/run', operator, {})).statusCode).toBe(404);
    const noRouter = await call('POST', '/api/v1/journeys/checkout/run', operator, { variant: 'canary' });
    expect(noRouter.statusCode).toBe(400);
    expect(noRouter.json().message).toContain('service shop has no built-in router');
  });
});
