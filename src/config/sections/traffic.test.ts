import { describe, expect, it } from 'vitest';
import { catchUfError } from '../../../test/helpers/errors.js';
import { parseConfig } from '../load.js';
import { starterConfig } from '../starter.js';
import { trafficRouterEntries } from './traffic.js';

const file = (...routerLines: string[]) => ['version: 1', 'traffic:', '  routers:', ...routerLines, ''].join('\n');

const builtin = ['    - kind: builtin', '      service: checkout', '      listen: "127.0.0.1:8080"', '      stable: "http://10.0.0.1:80"', '      canary: "http://10.0.0.2:80"'];
const haproxy = [
  '    - kind: haproxy',
  '      service: shop-web',
  '      runtimeApi: /run/haproxy/admin.sock',
  '      backend: shop',
  '      servers: { stable: stable, canary: canary }',
  '      routeMap: /etc/haproxy/uf-shop.map',
];
const nginx = [
  '    - kind: nginx',
  '      service: blog',
  '      blockName: blog',
  '      stable: "10.0.0.1:8080"',
  '      canary: "10.0.0.2:8080"',
  '      statusListen: "127.0.0.1:8099"',
  '      includeFile: /etc/nginx/uf/blog.conf',
  '      nginx: { config: /etc/nginx/nginx.conf, pidFile: /run/nginx.pid }',
];

describe('traffic.routers in factory.yaml', () => {
  it('reads one router of each kind, each with its own settings', () => {
    const config = parseConfig(file(...builtin, ...haproxy, ...nginx), 'factory.yaml');
    expect(config.traffic.routers).toEqual([
      { kind: 'builtin', service: 'checkout', listen: '127.0.0.1:8080', stable: 'http://10.0.0.1:80', canary: 'http://10.0.0.2:80', canaryWeight: 0 },
      { kind: 'haproxy', service: 'shop-web', runtimeApi: '/run/haproxy/admin.sock', backend: 'shop', servers: { stable: 'stable', canary: 'canary' }, routeMap: '/etc/haproxy/uf-shop.map' },
      {
        kind: 'nginx',
        service: 'blog',
        blockName: 'blog',
        stable: '10.0.0.1:8080',
        canary: '10.0.0.2:8080',
        statusListen: '127.0.0.1:8099',
        includeFile: '/etc/nginx/uf/blog.conf',
        nginx: { config: '/etc/nginx/nginx.conf', pidFile: '/run/nginx.pid' },
      },
    ]);
  });

  it('reads an optional baseline upstream for each kind, and refuses a bad one at its path', () => {
    const config = parseConfig(
      file(...builtin, '      baseline: "http://10.0.0.3:80"', ...haproxy.map((line) => line.replace('canary: canary }', 'canary: canary, baseline: fresh }')), ...nginx, '      baseline: "10.0.0.3:8080"'),
      'factory.yaml',
    );
    expect(config.traffic.routers.map((router) => (router.kind === 'haproxy' ? router.servers.baseline : router.baseline))).toEqual(['http://10.0.0.3:80', 'fresh', '10.0.0.3:8080']);
    const bad = catchUfError(() => parseConfig(file(...builtin, '      baseline: "not a url"'), 'factory.yaml'));
    expect(bad.location).toMatchObject({ file: 'factory.yaml', line: 9, path: 'traffic.routers[0].baseline' });
  });

  it('refuses invalid builtin settings at the key’s line and path', () => {
    const lines = [...builtin];
    lines[2] = '      listen: "8080"';
    expect(catchUfError(() => parseConfig(file(...lines), 'factory.yaml')).describe()).toBe('factory.yaml:6: traffic.routers[0].listen: HOST:PORT, e.g. 127.0.0.1:8080');
  });

  it('refuses invalid haproxy settings, nested keys included, at their path', () => {
    const lines = [...haproxy];
    lines[4] = '      servers: { stable: "my server", canary: canary }';
    const error = catchUfError(() => parseConfig(file(...lines), 'factory.yaml'));
    expect(error.location).toMatchObject({ file: 'factory.yaml', line: 8, path: 'traffic.routers[0].servers.stable' });
    expect(error.message).toContain('expected letters, digits');
  });

  it('refuses invalid nginx settings, and a setting of another kind as an unknown key', () => {
    const lines = [...nginx];
    lines[2] = '      blockName: Blog-Web';
    lines.push('      backend: shop');
    expect(catchUfError(() => parseConfig(file(...lines), 'factory.yaml')).describe().split('\n')).toEqual([
      'factory.yaml:6: traffic.routers[0].blockName: expected lower-case letters, digits or "_"',
      "factory.yaml:12: traffic.routers[0].backend: unknown key 'backend'",
    ]);
  });

  it('refuses an nginx router without the settings nginx needs, naming each', () => {
    const error = catchUfError(() => parseConfig(file('    - { kind: nginx, service: blog }'), 'factory.yaml'));
    const paths = error.describe().split('\n').map((line) => line.split(': ')[1]);
    expect(paths).toEqual(['traffic.routers[0].stable', 'traffic.routers[0].canary', 'traffic.routers[0].statusListen', 'traffic.routers[0].includeFile', 'traffic.routers[0].nginx', 'traffic.routers[0].blockName']);
  });

  it('refuses an unknown kind, listing the known ones, and a missing kind', () => {
    expect(catchUfError(() => parseConfig(file('    - { kind: envoy, service: blog }'), 'factory.yaml')).describe()).toBe(
      'factory.yaml:4: traffic.routers[0].kind: unknown router kind "envoy": expected builtin, haproxy, nginx',
    );
    expect(catchUfError(() => parseConfig(file('    - { service: blog }'), 'factory.yaml')).describe()).toBe('factory.yaml:4: traffic.routers[0].kind: a router needs a kind: builtin, haproxy, nginx');
  });

  it('refuses a second router for one service, naming the first', () => {
    const second = haproxy.map((line) => line.replace('service: shop-web', 'service: Checkout'));
    expect(catchUfError(() => parseConfig(file(...builtin, ...second), 'factory.yaml')).describe()).toBe(
      "factory.yaml:10: traffic.routers[1].service: service 'Checkout' already has a router: traffic.routers[0]",
    );
  });

  it('reads traffic.proxies as built-in routers, and refuses one listen address twice across both lists', () => {
    const proxies = ['  proxies:', '    - { service: cart, listen: "127.0.0.1:8080", stable: "http://10.0.0.1:80", canary: "http://10.0.0.2:80" }'];
    const error = catchUfError(() => parseConfig(file(...builtin, ...proxies), 'factory.yaml'));
    expect(error.describe()).toBe('factory.yaml:6: traffic.routers[0].listen: 127.0.0.1:8080 is already the listen address of traffic.proxies[0]');

    const config = parseConfig(file(...builtin, ...proxies).replace('listen: "127.0.0.1:8080", stable', 'listen: "127.0.0.1:8081", stable'), 'factory.yaml');
    expect(trafficRouterEntries(config.traffic).map(({ router, path }) => [router.kind, router.service, path.join('.')])).toEqual([
      ['builtin', 'checkout', 'traffic.routers.0'],
      ['builtin', 'cart', 'traffic.proxies.0'],
    ]);
  });

  it('keeps allowing several traffic.proxies for one service, as before traffic.routers', () => {
    const text = ['version: 1', 'traffic:', '  proxies:', ...['8080', '8081'].map((port) => `    - { service: cart, listen: "127.0.0.1:${port}", stable: "http://10.0.0.1:80", canary: "http://10.0.0.2:80" }`), ''].join('\n');
    expect(parseConfig(text, 'factory.yaml').traffic.proxies).toHaveLength(2);
  });
});

describe('the starter factory.yaml', () => {
  it('loads each commented traffic.routers example when uncommented', () => {
    const examples = starterConfig.slice(starterConfig.indexOf('  routers: []')).split('\n').slice(1).filter((line) => line.startsWith('  #')).map((line) => line.replace('  #', '  '));
    const config = parseConfig(starterConfig.replace('  routers: []', `  routers:\n${examples.join('\n')}`), 'factory.yaml');
    expect(config.traffic.routers.map((router) => router.kind)).toEqual(['builtin', 'haproxy', 'nginx']);
  });
});
