import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { renderHaproxyConfig } from './config.js';

const input = {
  runtimeApi: '/run/uf/admin.sock',
  bind: '127.0.0.1:8080',
  backend: 'shop',
  servers: { stable: { name: 'v1', address: '10.0.0.1:80' }, canary: { name: 'v2', address: '10.0.0.2:80' } },
  routeMap: '/etc/haproxy/uf-shop.map',
};

describe('renderHaproxyConfig', () => {
  it('renders the admin socket, a dynamic balancer, the route rule and both servers', () => {
    const config = renderHaproxyConfig({ ...input, canary: 30 });
    expect(config).toContain('    stats socket /run/uf/admin.sock mode 600 level admin\n');
    expect(config).toContain('    balance roundrobin\n');
    expect(config).toContain('    use-server v2 if { req.hdrs,map_reg(/etc/haproxy/uf-shop.map) -m found }\n');
    expect(config).toContain('    server v1 10.0.0.1:80 weight 70\n    server v2 10.0.0.2:80 weight 30\n');
  });

  it('renders a baseline server after the canary, stable taking what the two leave', () => {
    const config = renderHaproxyConfig({ ...input, servers: { ...input.servers, baseline: { name: 'v1-fresh', address: '10.0.0.3:80' } }, canary: 5, baseline: 5 });
    expect(config).toContain('    server v1 10.0.0.1:80 weight 90\n    server v2 10.0.0.2:80 weight 5\n    server v1-fresh 10.0.0.3:80 weight 5\n');
    expect(() => renderHaproxyConfig({ ...input, baseline: 5 })).toThrow(/no baseline upstream/);
  });

  it('puts a TCP runtime API on ipv4@host:port', () => {
    expect(renderHaproxyConfig({ ...input, runtimeApi: '127.0.0.1:9999' })).toContain('stats socket ipv4@127.0.0.1:9999 level admin');
  });

  it('rejects values that would break the file', () => {
    expect(() => renderHaproxyConfig({ ...input, routeMap: '/tmp/my map.map' })).toThrow(UfError);
    expect(() => renderHaproxyConfig({ ...input, canary: 101 })).toThrow(UfError);
  });
});
