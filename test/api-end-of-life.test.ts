import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/api/server.js';
import { importCatalogFiles, importInventoryFiles } from '../src/app/import-files.js';
import { runIntake } from '../src/app/intake.js';
import { parseConfig, type LoadedConfig } from '../src/config/load.js';
import type { Store } from '../src/store/open.js';
import { createToken } from '../src/store/repos/tokens.js';
import { cycloneDxBom as bom } from './helpers/fixtures.js';
import { storeTargets } from './helpers/stores.js';

const catalog = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: api }
spec: { type: service, lifecycle: production, owner: group:api }
`;

describe('REST API: end-of-support deadlines', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  let dir: string;
  let loaded: LoadedConfig;
  let viewer: { authorization: string };
  const now = new Date('2026-11-02T03:00:00Z');

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    dir = mkdtempSync(join(tmpdir(), 'uf-eol-'));
    writeFileSync(join(dir, 'catalog.yaml'), catalog);
    // endoflife.date-shaped data written for this test, not real support dates.
    writeFileSync(join(dir, 'log4j-eol.json'), JSON.stringify([{ cycle: '2.14', eol: '2021-12-01' }, { cycle: '2.17', eol: '2026-12-01' }, { cycle: '2.20', eol: false }]));
    const config = parseConfig(
      ['version: 1', 'intake:', '  advisories: []', "  endOfLife: [{ ecosystem: Maven, name: 'org.apache.logging.log4j:log4j-core', product: log4j, file: log4j-eol.json }]"].join('\n'),
      join(dir, 'factory.yaml'),
    );
    loaded = { config, file: join(dir, 'factory.yaml'), baseDir: dir };
    await importCatalogFiles(store, [join(dir, 'catalog.yaml')], 'test');
    for (const [environment, version] of [['production', '2.14.1'], ['staging', '2.17.1']] as const) {
      const file = join(dir, `api-${environment}.cdx.json`);
      writeFileSync(file, bom([['maven', 'org.apache.logging.log4j:log4j-core', version]]));
      await importInventoryFiles(store, [{ service: 'api', environment, file }], { environments: ['staging', 'production'], actor: 'test' });
    }
    app = await buildServer({ store, config });
    viewer = { authorization: `Bearer ${(await createToken(store, { name: 'v', role: 'viewer', actor: 'alice' })).secret}` };
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says when intake has not run yet, then lists what its last run flagged, past first', async () => {
    const before = await app.inject({ url: '/api/v1/inventory/end-of-life', headers: viewer });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({ sources: 1, horizonDays: expect.any(Number), checkedAt: null, items: [] });

    await runIntake(store, loaded, { now });
    const after = await app.inject({ url: '/api/v1/inventory/end-of-life', headers: viewer });
    expect(after.statusCode).toBe(200);
    const body = after.json();
    expect(body.checkedAt).toEqual(expect.stringMatching(/^2026-11-02T/));
    expect(body.items).toEqual([
      { component: 'Maven:org.apache.logging.log4j:log4j-core', version: '2.14.1', cycle: '2.14', eol: '2021-12-01', daysLeft: expect.any(Number), status: 'past', services: ['api'] },
      { component: 'Maven:org.apache.logging.log4j:log4j-core', version: '2.17.1', cycle: '2.17', eol: '2026-12-01', daysLeft: 28, status: 'near', services: ['api'] },
    ]);
    expect(body.items[0].daysLeft).toBeLessThan(0);
  });

  it('refuses a call without a token', async () => {
    expect((await app.inject({ url: '/api/v1/inventory/end-of-life' })).statusCode).toBe(401);
  });
});
