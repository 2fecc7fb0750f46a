import { describe, expect, it } from 'vitest';
import { factoryConfigSchema } from '../config/schema.js';
import { UfError } from '../core/errors.js';
import { configuredRouterSpecs } from './in-process.js';

const configWith = (proxy: Record<string, unknown>) =>
  factoryConfigSchema.parse({ version: 1, traffic: { proxies: [{ service: 'checkout', listen: '127.0.0.1:8080', stable: 'http://10.0.0.1:80', canary: 'http://10.0.0.2:80', ...proxy }] } });

describe('configuredRouterSpecs', () => {
  it('refuses an admin address beyond loopback without a token, naming the entry', () => {
    const error = (() => {
      try {
        configuredRouterSpecs(configWith({ admin: '0.0.0.0:9901' }), undefined);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UfError);
    expect((error as UfError).exitCode).toBe(2);
    expect((error as UfError).message).toBe('traffic.proxies[0] (checkout).admin 0.0.0.0:9901 is not a loopback address: set UF_ADMIN_TOKEN, or listen on 127.0.0.1, ::1 or localhost');
  });

  it('accepts it with a token, or on loopback, and passes the deadline on', () => {
    expect(configuredRouterSpecs(configWith({ admin: '0.0.0.0:9901' }), 'secret')[0]).toMatchObject({ admin: { host: '0.0.0.0', port: 9901 }, adminToken: 'secret' });
    expect(configuredRouterSpecs(configWith({ admin: 'localhost:9901', deadlineMs: 1500 }), undefined)[0]).toMatchObject({ admin: { host: 'localhost', port: 9901 }, timeouts: { deadlineMs: 1500 } });
  });

  it('passes a baseline upstream on, and none when the entry has none', () => {
    expect(configuredRouterSpecs(configWith({ baseline: 'http://10.0.0.3:80' }), undefined)[0]).toMatchObject({ baseline: 'http://10.0.0.3:80' });
    expect(configuredRouterSpecs(configWith({}), undefined)[0]).not.toHaveProperty('baseline');
  });

  it('includes the traffic.routers of kind builtin, named by their own entry, and no other kind', () => {
    const config = factoryConfigSchema.parse({
      version: 1,
      traffic: {
        routers: [
          { kind: 'haproxy', service: 'shop', runtimeApi: '/run/haproxy.sock', backend: 'shop', servers: { stable: 'a', canary: 'b' }, routeMap: '/etc/haproxy/shop.map' },
          { kind: 'builtin', service: 'cart', listen: '127.0.0.1:8081', stable: 'http://10.0.0.1:80', canary: 'http://10.0.0.2:80', admin: '0.0.0.0:9902' },
        ],
        proxies: [{ service: 'checkout', listen: '127.0.0.1:8080', stable: 'http://10.0.0.1:80', canary: 'http://10.0.0.2:80' }],
      },
    });
    expect(configuredRouterSpecs(config, 'secret').map((spec) => spec.service)).toEqual(['cart', 'checkout']);
    expect(() => configuredRouterSpecs(config, undefined)).toThrow(/^traffic\.routers\[1\] \(cart\)\.admin 0\.0\.0\.0:9902 is not a loopback address/);
  });
});
