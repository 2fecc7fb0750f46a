import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.js';
import { UfError } from '../../core/errors.js';
import { createDeployer, deployerRegistry } from './registry.js';

const deps = { clock: fixedClock('2026-12-01T00:00:00Z'), env: { CD_SECRET: 's' }, baseDir: '/tmp' };

describe('deployer registry', () => {
  it('builds each kind from its factory.yaml entry', async () => {
    const built = [
      createDeployer({ kind: 'command', service: 'a', deployCanary: ['true'], promote: ['true'], removeCanary: ['true'] }, deps),
      createDeployer({ kind: 'webhook', service: 'b', url: 'http://127.0.0.1:9/deploy', secretEnv: 'CD_SECRET' }, deps),
      createDeployer({ kind: 'sample', service: 'c' }, deps),
    ];
    expect(built.map((d) => d.name)).toEqual(['command:a', 'webhook:b', 'sample:c']);
    expect(Object.keys(deployerRegistry)).toEqual(['command', 'webhook', 'sample']);
    await Promise.all(built.map((d) => d.close()));
  });

  it('refuses an unknown kind and invalid settings, naming the key path', () => {
    expect(() => createDeployer({ kind: 'spinnaker' }, deps)).toThrow('unknown deployer kind "spinnaker": expected command, webhook, sample');
    try {
      createDeployer({ kind: 'command', service: 'a', deployCanary: ['x', '{{tag}}'], promote: ['true'], removeCanary: ['true'] }, deps);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UfError);
      expect((error as UfError).location?.path).toBe('deployCanary[1]');
    }
  });
});
