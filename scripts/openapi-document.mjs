/**
 * The server's OpenAPI document, as `GET /openapi.json` serves it, built from the compiled server
 * (dist/) on an empty scratch store: every route registered, rollouts and the compatibility matrix
 * included. The dashboard's typed client is generated from it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';

export async function openApiDocument(dist) {
  const { buildServer } = await import(join(dist, 'api/server.js'));
  const { composeRoot } = await import(join(dist, 'app/root.js'));
  const { createRollouts } = await import(join(dist, 'app/rollouts.js'));
  const { parseConfig } = await import(join(dist, 'config/load.js'));
  const { openStore } = await import(join(dist, 'store/open.js'));
  const dir = mkdtempSync(join(tmpdir(), 'uf-openapi-'));
  const store = await openStore({ sqlitePath: join(dir, 'factory.db') });
  try {
    const config = parseConfig('version: 1\nname: openapi\n', 'factory.yaml');
    const parts = composeRoot({ config, file: undefined, baseDir: '.' }, { env: {}, logger: pino({ level: 'silent' }) });
    const root = { ...parts, store, close: () => Promise.resolve() };
    const app = await buildServer({ store, config, root, rollouts: createRollouts(root, { routerFor: () => undefined }), compat: root });
    await app.ready();
    const document = app.swagger();
    await app.close();
    return document;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
