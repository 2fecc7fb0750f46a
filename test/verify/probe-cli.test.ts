import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startProxy, type RunningProxy } from '../../src/proxy/server.js';
import { startShop, type ShopServer } from '../../src/verify/probes/testing.js';

/** `uf probe list` and `uf probe run`, in process, against a built-in router whose canary is broken. */
describe('uf probe', () => {
  let dir: string;
  let stable: ShopServer;
  let canary: ShopServer;
  let router: RunningProxy;

  const uf = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'uf', '--config', join(dir, 'factory.yaml'), ...args], { out: (text) => out.push(text), err: (text) => err.push(text) });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-probe-'));
    stable = await startShop({ version: 'v1' });
    canary = await startShop({ version: 'v2', broken: true });
    router = await startProxy({
      listen: { host: '127.0.0.1', port: 0 },
      admin: { host: '127.0.0.1', port: 0 },
      stable: stable.url,
      canary: canary.url,
      canaryWeight: 50,
      route: { kind: 'cookie', name: 'uf-canary', value: 'yes', variant: 'canary' },
    });
    const hostPort = (url: string) => new URL(url).host;
    writeFileSync(
      join(dir, 'factory.yaml'),
      [
        'version: 1',
        'traffic:',
        '  proxies:',
        `    - { service: shop, listen: "${hostPort(router.url)}", admin: "${hostPort(router.adminUrl!)}", stable: "${stable.url}", canary: "${canary.url}" }`,
        'journeys:',
        '  - name: checkout',
        '    service: shop',
        '    thresholds: { http_req_failed: ["rate<0.01"] }',
        '    steps:',
        '      - { name: login, method: POST, url: /login, capture: { authToken: $.token } }',
        '      - { name: order, url: /orders/7, headers: { authorization: "Bearer ${authToken}" }, expect: { status: 200, json: [{ path: $.order.status, equals: paid }] } }',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await router.close();
    await stable.close();
    await canary.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the journeys', async () => {
    const result = await uf('probe', 'list', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ name: 'checkout', service: 'shop', steps: 2, kinds: ['http'], iterations: 1, thresholds: ['http_req_failed rate<0.01'] }]);
  });

  it('fails on the canary, pinned by the router’s forcing cookie (exit 1), and passes on stable (exit 0)', async () => {
    const onCanary = await uf('probe', 'run', 'checkout', '--variant', 'canary', '--json');
    expect(onCanary.code).toBe(1);
    const result = JSON.parse(onCanary.stdout) as { state: string; via: string; reasons: string[] };
    expect(result.state).toBe('failing');
    expect(result.via).toContain('pinned to the canary by cookie uf-canary');
    expect(result.reasons[0]).toContain('expected 200, got 500');
    expect(canary.hits.every((hit) => hit.headers.cookie === 'uf-canary=yes')).toBe(true);

    const onStable = await uf('probe', 'run', 'checkout', '--variant', 'stable');
    expect(onStable.code).toBe(0);
    expect(onStable.stdout.split('\n')[0]).toBe(`journey checkout (shop) against ${stable.url} (the stable upstream ${stable.url} directly (the router's override route pins the canary)): passing`);
  });

  it('runs against a given target, and refuses bad input with exit 2', async () => {
    expect((await uf('probe', 'run', 'checkout', '--target', stable.url)).code).toBe(0);
    const unknown = await uf('probe', 'run', 'chekout');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no journey named 'chekout' under journeys:; did you mean 'checkout'?");
    const both = await uf('probe', 'run', 'checkout', '--target', stable.url, '--variant', 'canary');
    expect(both.code).toBe(2);
    expect((await uf('probe', 'run', 'checkout', '--variant', 'blue')).code).toBe(2);
  });
});
