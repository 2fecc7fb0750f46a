import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { startSampleService } from '../../../proxy/sample-service.js';
import { startProxy } from '../../../proxy/server.js';
import { runTrafficRouterContract } from '../../traffic-router.contract.js';
import { createBuiltinRouter } from './index.js';
import { sendThroughProxy, startVersions } from './testing.js';

const token = 'contract-token';

runTrafficRouterContract({
  name: 'builtin',
  async setup() {
    const versions = await startVersions();
    const listen = { host: '127.0.0.1', port: 0 };
    const proxy = await startProxy({ listen, admin: listen, adminToken: token, stable: versions.stable.url, canary: versions.canary.url, baseline: versions.baseline.url });
    const bare = await startProxy({ listen, admin: listen, adminToken: token, stable: versions.stable.url, canary: versions.canary.url });
    return {
      router: createBuiltinRouter({ adminUrl: proxy.adminUrl!, token, baseline: true }),
      withoutBaseline: createBuiltinRouter({ adminUrl: bare.adminUrl!, token }),
      send: ({ headers }) => sendThroughProxy(proxy.url, headers),
      async teardown() {
        await Promise.all([proxy.close(), bare.close()]);
        await Promise.all(Object.values(versions).map((version) => version.close()));
      },
    };
  },
});

describe('builtin router errors', () => {
  it('reports an unreachable admin API as source_unavailable, and a wrong token as unauthorized', async () => {
    const down = createBuiltinRouter({ adminUrl: 'http://127.0.0.1:1', timeoutMs: 2_000 });
    await expect(down.verifyWeight()).rejects.toMatchObject({ code: 'source_unavailable' });

    const stable = await startSampleService({ version: 'stable' });
    const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, adminToken: token, stable: stable.url, canary: stable.url });
    try {
      const wrong = createBuiltinRouter({ adminUrl: proxy.adminUrl!, token: 'nope' });
      const error = await wrong.setWeight(5).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UfError);
      expect((error as UfError).code).toBe('unauthorized');
      expect(proxy.control.weights().canary).toBe(0);
    } finally {
      await proxy.close();
      await stable.close();
    }
  });

  it('passes the proxy’s refusal of a baseline weight on as a usage error, when told wrongly that it has a baseline', async () => {
    const stable = await startSampleService({ version: 'stable' });
    const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, adminToken: token, stable: stable.url, canary: stable.url });
    try {
      const mistaken = createBuiltinRouter({ adminUrl: proxy.adminUrl!, token, baseline: true });
      const error = await mistaken.setWeights({ canary: 5, baseline: 5 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UfError);
      expect((error as UfError).code).toBe('usage');
      expect((error as UfError).message).toMatch(/no baseline upstream/);
      expect(proxy.control.weights()).toMatchObject({ canary: 0, stable: 100 });
    } finally {
      await proxy.close();
      await stable.close();
    }
  });
});
