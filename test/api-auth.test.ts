import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildServer } from '../src/api/server.js';
import { composeRoot } from '../src/app/root.js';
import { createRollouts } from '../src/app/rollouts.js';
import { parseConfig } from '../src/config/load.js';
import type { Store } from '../src/store/open.js';
import { importCatalog } from '../src/store/repos/catalog.js';
import { createToken } from '../src/store/repos/tokens.js';
import { createUpgrade } from '../src/store/repos/upgrades.js';
import { component } from './helpers/fixtures.js';
import { storeTargets } from './helpers/stores.js';

/** The dashboard as `npm run build` writes it (npm test builds first). */
const builtAssets = fileURLToPath(new URL('../dist/web/assets', import.meta.url));

/**
 * Authentication is a property of the route, not of the URL's spelling: every registered route
 * (walked from the server's own route table, so a new route is covered without editing this file)
 * is asked for with spellings that route to it or near it, and none may answer with data without a
 * token. `/%61pi/v1/upgrades` used to answer 200 and `/%61pi/v1/info` 500.
 */
function spellings(path: string): string[] {
  const rest = path.slice(1);
  const first = rest.split('/')[0]!;
  return [
    path,
    `/%${first.charCodeAt(0).toString(16)}${rest.slice(1)}`,
    `/${[...rest].map((c) => (/[a-z]/i.test(c) ? `%${c.charCodeAt(0).toString(16).toUpperCase()}` : c)).join('')}`,
    `/${path}`,
    path.replace(/\/(?=[^/]*$)/, '//'),
    `/x/..${path}`,
    `/x/%2e%2e${path}`,
    `/.${path}`,
    path.replace(/\//g, '/./'),
    path.toUpperCase(),
    `/${first[0]!.toUpperCase()}${rest.slice(1)}`,
    `${path}/`,
    `/${rest.replace('/', '%2F')}`,
    `/${rest.replace('/', '%2f')}`,
    `${path}%00`,
    `${path};x`,
    `${path}?x=%2F`,
  ];
}

/** Sends exactly these bytes, so no client normalises the path on the way (inject and fetch both do). */
function rawRequest(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.setTimeout(10_000, () => socket.destroy(new Error(`timeout on ${method} ${path}`)));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const body = method === 'POST' ? '' : undefined;
    socket.end(`${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n${extra}${body !== undefined ? 'content-length: 0\r\n' : ''}\r\n`);
  });
}

describe('REST API authentication by route', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  let port: number;
  let upgradeId: string;
  let secret: string;

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    await importCatalog(store, { files: ['a.yaml'], entities: [component('checkout', ['payments']), component('payments')], actor: 'alice' });
    upgradeId = (await createUpgrade(store, { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash', fromVersions: ['4.17.15'], targetVersion: '4.17.21', services: ['payments'], changeClass: 'normal', createdBy: 'alice', reason: 'test' })).id;
    secret = (await createToken(store, { name: 'test', role: 'admin', actor: 'alice' })).secret;
    const config = parseConfig('version: 1\nname: auth-test\n', 'f.yaml');
    // With the composition root, the rollout and the matrix use cases, so their routes and the callback route are in the table.
    const parts = composeRoot({ config, file: undefined, baseDir: '.' }, { env: {}, logger: pino({ level: 'silent' }) });
    const root = { ...parts, store, close: () => Promise.resolve() };
    app = await buildServer({ store, config, root, rollouts: createRollouts(root, { routerFor: () => undefined }), compat: root });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  const concrete = (url: string) => url.replace(':id', upgradeId).replace(':ref', 'payments');
  // POST /api/v1/intake/run would run intake if it got through; this server has no factory file, so it answers 409 at worst.
  const guarded = () => app.routeTable.filter((r) => !r.public);

  it('keeps a route table with only health, readiness, the OpenAPI document and the dashboard\'s page and assets open', () => {
    expect(app.routeTable.filter((r) => r.public && r.method === 'GET').map((r) => r.url).sort()).toEqual(['/', '/assets/:file', '/healthz', '/openapi.json', '/readyz']);
    // A CD system's callback carries an HMAC signature instead of a token.
    expect(app.routeTable.filter((r) => r.public && r.method !== 'GET' && r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/v1/deployers/:service/callback']);
    expect(guarded().length).toBeGreaterThanOrEqual(10);
    for (const route of guarded()) expect(route.url.startsWith('/api/v1/'), route.url).toBe(true);
  });

  it('answers every guarded route, however it is spelt, without data and without a 500 when no token is sent', async () => {
    const leaks: string[] = [];
    for (const route of guarded()) {
      for (const path of spellings(concrete(route.url))) {
        for (const via of ['raw', 'inject'] as const) {
          const { status, body } = via === 'raw' ? await rawRequest(port, route.method, path) : await inject(route.method, path);
          // 401: it routed and was refused; 404: it did not route. Anything else may be data (2xx) or a crash (500).
          if (status !== 401 && status !== 404) leaks.push(`${via} ${route.method} ${path} -> ${status} ${body.slice(0, 80)}`);
          if (body.includes(upgradeId) || body.includes('auth-test')) leaks.push(`${via} ${route.method} ${path} -> body with data`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('routes an encoded spelling to the same route with a token instead of crashing', async () => {
    const headers = { authorization: `Bearer ${secret}` };
    const info = await rawRequest(port, 'GET', '/%61pi/v1/info', headers);
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ name: 'auth-test', token: { role: 'admin' } });
    const upgrades = await rawRequest(port, 'GET', '/%61pi/v1/upgrades', headers);
    expect(JSON.parse(upgrades.body).items.map((u: { id: string }) => u.id)).toEqual([upgradeId]);
  });

  it('answers an unknown route with a fixed 404 that echoes nothing', async () => {
    for (const headers of [{}, { authorization: `Bearer ${secret}` }] as Record<string, string>[]) {
      const response = await rawRequest(port, 'GET', '/api/v1/nope%3Cscript%3E', headers);
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body)).toEqual({ code: 'not_found', message: 'no such route; see /openapi.json' });
    }
  });

  it('serves the public routes under their own spelling without a token', async () => {
    // The dashboard's assets are served by name: one the build wrote stands for the pattern.
    const asset = existsSync(builtAssets) ? readdirSync(builtAssets).find((name) => name.endsWith('.js')) : undefined;
    for (const route of app.routeTable.filter((r) => r.public && r.method === 'GET')) {
      const url = route.url === '/assets/:file' ? (asset ? `/assets/${asset}` : undefined) : route.url;
      if (url === undefined) continue;
      expect((await rawRequest(port, 'GET', url)).status, url).toBe(200);
      const variants = url === '/' ? ['//', '/./', '/x/../', '/x/%2e%2e/', '/?x=%2F', '/%00', '/;x'] : spellings(url);
      for (const path of variants) expect((await rawRequest(port, 'GET', path)).status, path).not.toBe(500);
    }
  });

  async function inject(method: string, url: string) {
    const response = await app.inject({ method: method as 'GET', url });
    return { status: response.statusCode, body: response.body };
  }
});
