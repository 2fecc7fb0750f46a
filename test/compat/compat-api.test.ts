import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { runCompatWorker } from '../../src/app/compat.js';
import { composeRoot, type AppRoot } from '../../src/app/root.js';
import { loadConfig } from '../../src/config/load.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Role } from '../../src/core/roles.js';
import { createToken } from '../../src/store/repos/tokens.js';
import { storeTargets } from '../helpers/stores.js';
import { upgradeInCompat } from '../helpers/upgrades.js';

/**
 * The matrix through the REST API, with real checks: an OpenAPI diff that finds a removed required
 * response property, and a command that passes. Queue a run (operators only), let a worker fill it, read it,
 * and waive the failed cell (waiver roles only; identity from the token).
 */
const oldApi = `openapi: 3.0.3
info: { title: orders, version: '1' }
paths:
  /orders/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200':
          description: an order
          content:
            application/json:
              schema: { type: object, required: [id, total], properties: { id: { type: string }, total: { type: number } } }
`;
const newApi = oldApi.replace(', total: { type: number }', '').replace('required: [id, total]', 'required: [id]');

describe('compatibility matrix over the REST API', () => {
  let dir: string;
  let app: FastifyInstance;
  let root: AppRoot;
  let cleanup: () => Promise<void>;
  const secrets: Partial<Record<Role, string>> = {};
  const clock = fixedClock('2026-12-01T10:00:00Z');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-compat-api-'));
    writeFileSync(join(dir, 'old.yaml'), oldApi);
    writeFileSync(join(dir, 'new.yaml'), newApi);
    writeFileSync(
      join(dir, 'factory.yaml'),
      `version: 1
compat:
  checks:
    - { id: api-contract, kind: openapi-diff, old: old.yaml, new: new.yaml }
    - { id: smoke, kind: command, argv: ["${process.execPath}", -e, "process.exit(0)"] }
`,
    );
    const opened = await storeTargets[0]!.open({ clock });
    cleanup = opened.cleanup;
    const parts = composeRoot(loadConfig(join(dir, 'factory.yaml')), { clock, logger: pino({ level: 'silent' }), env: { PATH: process.env.PATH } });
    root = { ...parts, store: opened.store, close: () => parts.adapters.close() };
    for (const role of ['viewer', 'operator', 'approver'] as const) secrets[role] = (await createToken(opened.store, { name: role, role, actor: 'user:admin', user: `${role}-person` })).secret;
    app = await buildServer({ store: opened.store, config: root.loaded.config, root, compat: root });
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: 'GET' | 'POST', url: string, role: Role, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${secrets[role]}` }, ...(payload ? { payload } : {}) });

  it('queues a run for operators, serves the filled matrix, and takes a waiver only from a waiver role', async () => {
    const id = await upgradeInCompat(root.store, { clock, name: 'orders-sdk', services: ['orders'] });
    expect((await call('GET', `/api/v1/upgrades/${id}/compat`, 'viewer')).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/upgrades/${id}/compat/runs`, 'viewer')).statusCode).toBe(403);
    const queued = await call('POST', `/api/v1/upgrades/${id}/compat/runs`, 'operator');
    expect(queued.statusCode, queued.body).toBe(201);
    expect(queued.json()).toMatchObject({ cells: 2, problems: [] });

    await runCompatWorker(root, { signal: new AbortController().signal, exitWhenIdle: true });
    const matrix = await call('GET', `/api/v1/upgrades/${id}/compat`, 'viewer');
    expect(matrix.statusCode, matrix.body).toBe(200);
    const view = matrix.json();
    expect(view.verdict).toBe('fail');
    expect(view.cells.orders.smoke).toMatchObject({ state: 'result', status: 'pass', cell: { exitCode: 0 } });
    expect(view.cells.orders['api-contract']).toMatchObject({ state: 'result', status: 'fail' });
    const ids = view.cells.orders['api-contract'].cell.evidence.findings.map((f: { ruleId: string }) => f.ruleId);
    expect(ids).toContain('response-required-property-removed');

    const waive = { consumer: 'orders', check: 'api-contract', reason: 'no client reads total: checked in the access logs of the last 30 days' };
    expect((await call('POST', `/api/v1/upgrades/${id}/compat/waivers`, 'operator', waive)).statusCode).toBe(403);
    const waived = await call('POST', `/api/v1/upgrades/${id}/compat/waivers`, 'approver', waive);
    expect(waived.statusCode, waived.body).toBe(201);
    expect(waived.json()).toMatchObject({ waiver: { role: 'approver', actor: 'user:approver-person' }, matrix: { verdict: 'pass' } });
    expect((await call('POST', `/api/v1/upgrades/${id}/compat/waivers`, 'approver', waive)).statusCode).toBe(409);
    const upgrade = await app.inject({ method: 'GET', url: `/api/v1/upgrades/${id}`, headers: { authorization: `Bearer ${secrets.viewer}` } });
    expect(JSON.stringify(upgrade.json())).toContain('compat_matrix');
  });
});
