import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { renderNginxConfig } from './config.js';
import { createNginxRouter } from './index.js';

describe('renderNginxConfig', () => {
  it('keeps pid, logs and temp files under the prefix and proxies to the router’s variable', () => {
    const config = renderNginxConfig({ prefix: '/tmp/uf', listen: '127.0.0.1:8080', includeFile: '/tmp/uf/uf-shop.conf', service: 'shop' });
    expect(config).toContain('pid "/tmp/uf/nginx.pid";');
    expect(config).toContain('    proxy_temp_path "/tmp/uf/temp/proxy";');
    expect(config).toContain('    include "/tmp/uf/uf-shop.conf";');
    expect(config).toContain('            proxy_pass http://$uf_shop_upstream;\n            proxy_set_header Host $host;');
    expect(config).not.toMatch(/\/etc\/|\/var\//);
  });

  it('rejects paths nginx would read differently', () => {
    expect(() => renderNginxConfig({ prefix: '/tmp/"uf', listen: '127.0.0.1:8080', includeFile: '/tmp/x.conf', service: 'shop' })).toThrow(UfError);
  });
});

describe('createNginxRouter options', () => {
  const options = {
    service: 'shop',
    stable: '127.0.0.1:8001',
    canary: '127.0.0.1:8002',
    statusListen: '127.0.0.1:8099',
    includeFile: '/tmp/uf-shop.conf',
    nginx: { config: '/tmp/nginx.conf', pidFile: '/tmp/nginx.pid' },
  };

  it('rejects names and addresses that would break the include file, naming the option', () => {
    for (const [bad, path] of [
      [{ ...options, service: 'Shop-1' }, 'service'],
      [{ ...options, canary: '127.0.0.1:8002; include /etc/passwd' }, 'canary'],
      [{ ...options, statusListen: '8099' }, 'statusListen'],
    ] as const) {
      let error: unknown;
      try {
        createNginxRouter(bad);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UfError);
      expect({ code: (error as UfError).code, path: (error as UfError).location?.path }).toEqual({ code: 'config_invalid', path });
    }
    expect(createNginxRouter(options).name).toBe('nginx:/tmp/uf-shop.conf');
  });
});
