import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchUfError } from '../../test/helpers/errors.js';
import { parseConfig } from '../config/load.js';
import { UfError } from '../core/errors.js';
import { startSampleService, type SampleService } from '../proxy/sample-service.js';
import { startRouterHost, type RouterHost } from '../proxy/worker/host.js';
import { createConfiguredTrafficRouters, createTrafficRouter, trafficRouterRegistry } from './registry.js';
import { renderNginxInclude } from './routers/nginx/index.js';

const haproxySettings = { service: 'shop-web', runtimeApi: '/run/haproxy/admin.sock', backend: 'shop', servers: { stable: 'stable', canary: 'canary' }, routeMap: '/etc/haproxy/uf-shop.map' };

describe('traffic router registry', () => {
  it('has one entry per kind factory.yaml accepts', () => {
    expect(Object.keys(trafficRouterRegistry)).toEqual(['builtin', 'haproxy', 'nginx']);
  });

  it('builds a haproxy router from validated settings', () => {
    const router = createTrafficRouter({ kind: 'haproxy', ...haproxySettings });
    expect(router.name).toBe('haproxy:/run/haproxy/admin.sock#shop');
  });

  it('builds an nginx router whose blocks are named by blockName, not by the catalog service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uf-registry-'));
    try {
      const includeFile = join(dir, 'blog.conf');
      const target = { stable: '127.0.0.1:8001', canary: '127.0.0.1:8002', statusListen: '127.0.0.1:8099' };
      writeFileSync(includeFile, renderNginxInclude({ ...target, service: 'other' }, { generation: 1, canary: 0 }));
      const router = createTrafficRouter({ kind: 'nginx', service: 'blog-web', blockName: 'blog_web', ...target, includeFile, nginx: { config: join(dir, 'nginx.conf'), pidFile: join(dir, 'nginx.pid') } });
      expect(router.name).toBe(`nginx:${includeFile}`);
      // The router checks the include file was written for its own block name before anything else.
      await expect(router.setWeight(10)).rejects.toThrow('the include file was not written by uf for service blog_web');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown kind, listing the known kinds', () => {
    const error = catchUfError(() => createTrafficRouter({ kind: 'envoy', service: 'x' }));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toBe('unknown traffic router kind "envoy": expected builtin, haproxy, nginx');
  });

  it('refuses settings its kind’s schema rejects, naming the key path', () => {
    const wrong = catchUfError(() => createTrafficRouter({ kind: 'haproxy', ...haproxySettings, servers: { stable: 'a b', canary: 'c' } }));
    expect(wrong.describe()).toMatch(/^servers\.stable: invalid haproxy router settings: expected letters, digits/);
    const unknown = catchUfError(() => createTrafficRouter({ kind: 'haproxy', ...haproxySettings, listen: '127.0.0.1:80' }));
    expect(unknown.describe()).toBe("listen: invalid haproxy router settings: unknown key 'listen'");
  });

  it('refuses a builtin router that is not running, naming its factory.yaml entry', () => {
    const config = parseConfig(['version: 1', 'traffic:', '  proxies:', '    - { service: cart, listen: "127.0.0.1:8080", stable: "http://10.0.0.1:80", canary: "http://10.0.0.2:80" }', ''].join('\n'), 'factory.yaml');
    const error = catchUfError(() => createConfiguredTrafficRouters(config.traffic, { builtinHandle: () => undefined }));
    expect(error).toBeInstanceOf(UfError);
    expect(error.describe()).toBe("cart: traffic.proxies[0].service: the built-in router for service 'cart' is not running: uf serve runs the routers of kind builtin");
  });

  describe('builtin, in uf serve’s worker thread', () => {
    let stable: SampleService;
    let canary: SampleService;
    let host: RouterHost;
    beforeAll(async () => {
      [stable, canary] = await Promise.all([startSampleService({ version: 'v1' }), startSampleService({ version: 'v2' })]);
      host = await startRouterHost([{ service: 'checkout', listen: { host: '127.0.0.1', port: 0 }, stable: stable.url, canary: canary.url, canaryWeight: 0 }], { logger: pino({ level: 'silent' }) });
    });
    afterAll(async () => {
      await host?.close();
      await Promise.all([stable?.close(), canary?.close()]);
    });

    it('drives the running router of the configured service', async () => {
      const text = ['version: 1', 'traffic:', '  routers:', `    - { kind: builtin, service: checkout, listen: "127.0.0.1:1", stable: "${stable.url}", canary: "${canary.url}" }`, ''].join('\n');
      const [configured] = createConfiguredTrafficRouters(parseConfig(text, 'factory.yaml').traffic, { builtinHandle: (service) => host.routers.find((r) => r.service === service) });
      expect(configured).toMatchObject({ service: 'checkout', kind: 'builtin', path: ['traffic', 'routers', 0] });
      await configured!.router.setWeight(100);
      expect(await configured!.router.verifyWeight()).toEqual({ canary: 100, stable: 0 });
      expect((await fetch(`${host.routers[0]!.url}/`)).headers.get('x-version')).toBe('v2');
      await configured!.router.reset();
    });
  });
});
