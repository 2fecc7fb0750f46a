import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchUfError } from '../../test/helpers/errors.js';
import { loadConfig } from '../config/load.js';
import { checkServiceReferences } from './config-references.js';

const catalog = ['apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', '  name: shop-web', 'spec:', '  type: service', '  lifecycle: production', '  owner: team-a', ''].join('\n');

describe('checkServiceReferences for traffic routers', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-config-references-'));
    writeFileSync(join(dir, 'catalog-info.yaml'), catalog);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const load = (routerService: string) => {
    const file = join(dir, 'factory.yaml');
    writeFileSync(
      file,
      ['version: 1', 'catalog: [catalog-info.yaml]', 'traffic:', '  routers:', `    - { kind: haproxy, service: ${routerService}, runtimeApi: /run/haproxy.sock, backend: shop, servers: { stable: a, canary: b }, routeMap: /etc/haproxy/shop.map }`, ''].join('\n'),
    );
    return loadConfig(file);
  };

  it('accepts a router in front of a Component of the catalog', () => {
    expect(() => checkServiceReferences(load('shop-web'))).not.toThrow();
  });

  it('refuses a router in front of an unknown service, at its line, with the close names', () => {
    const error = catchUfError(() => checkServiceReferences(load('shop-wbe')));
    expect(error.describe()).toBe(`${join(dir, 'factory.yaml')}:5: traffic.routers[0].service: service 'shop-wbe' is not a Component in the catalog files; did you mean 'shop-web'?`);
  });
});

describe('checkServiceReferences for rollout.services', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-config-references-'));
    writeFileSync(join(dir, 'catalog-info.yaml'), catalog);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const load = (service: string) => {
    const file = join(dir, 'factory.yaml');
    writeFileSync(file, ['version: 1', 'catalog: [catalog-info.yaml]', 'rollout:', '  services:', `    ${service}:`, '      minDuration: 15m', ''].join('\n'));
    return loadConfig(file);
  };

  it('accepts an override for a Component of the catalog and refuses one for an unknown service at its line', () => {
    expect(() => checkServiceReferences(load('shop-web'))).not.toThrow();
    const error = catchUfError(() => checkServiceReferences(load('shop-wbe')));
    expect(error.describe()).toBe(`${join(dir, 'factory.yaml')}:5: rollout.services.shop-wbe: service 'shop-wbe' is not a Component in the catalog files; did you mean 'shop-web'?`);
  });
});
