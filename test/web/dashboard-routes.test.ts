import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { parseConfig } from '../../src/config/load.js';
import type { Store } from '../../src/store/open.js';
import { storeTargets } from '../helpers/stores.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the dashboard as the server serves it', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let dir: string;
  let built: FastifyInstance;
  let missing: FastifyInstance;

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    dir = mkdtempSync(join(tmpdir(), 'uf-dashboard-'));
    mkdirSync(join(dir, 'web', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>Upgrade Factory</title><script type="module" src="/assets/index-abc.js"></script>');
    writeFileSync(join(dir, 'web', 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'not for the web');
    const config = parseConfig('version: 1\nname: dashboard-test\n', 'f.yaml');
    built = await buildServer({ store, config, dashboardDir: join(dir, 'web') });
    missing = await buildServer({ store, config, dashboardDir: join(dir, 'nothing-here') });
  });
  afterAll(async () => {
    await built?.close();
    await missing?.close();
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page without a token, with a content security policy that allows only its own scripts', async () => {
    const page = await built.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).toContain('/assets/index-abc.js');
  });

  it('serves hashed assets as immutable, and nothing that is not one of them', async () => {
    const asset = await built.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const url of ['/assets/nope.js', '/assets/..%2Fsecret.txt', '/assets/..%2F..%2Fpackage.json', '/assets/%2e%2e/secret.txt']) {
      const answer = await built.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.body, url).not.toContain('not for the web');
    }
  });

  it('says how to build the dashboard when it is not built, and the API still answers', async () => {
    const page = await missing.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('npm run build');
    expect((await missing.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('ships API types generated from the OpenAPI document the server publishes now', async () => {
    // The build regenerates them and type checks the page against them; this catches a commit whose
    // routes changed without the page being checked again.
    const check = await promisify(execFile)(process.execPath, [join(root, 'scripts/build-web.mjs'), '--check'], { cwd: root }).catch((error: { stderr: string; code: number }) => error);
    expect('code' in check ? check.stderr : '').toBe('');
  }, 60_000);
});
