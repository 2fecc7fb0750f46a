import { describe, expect, it } from 'vitest';
import { UfError } from '../../../core/errors.js';
import { startSampleService } from '../../../proxy/sample-service.js';
import { startProxy } from '../../../proxy/server.js';
import { runTrafficRouterContract } from '../../traffic-router.contract.js';
import { createBuiltinRouter } from './index.js';

const token = 'contract-token';

runTrafficRouterContract({
  name: 'builtin',
  async setup() {
    const stable = await startSampleService({ version: 'stable' });
    const canary = await startSampleService({ version: 'canary' });
    const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, adminToken: token, stable: stable.url, canary: canary.url });
    return {
      router: createBuiltinRouter({ adminUrl: proxy.adminUrl!, token }),
      async send({ headers }) {
        const response = await fetch(`${proxy.url}/contract`, { headers });
        await response.arrayBuffer();
        const version = response.headers.get('x-version');
        if (response.status !== 200 || (version !== 'stable' && version !== 'canary')) throw new Error(`unexpected answer ${response.status} from ${version}`);
        return version;
      },
      async teardown() {
        await proxy.close();
        await Promise.all([stable.close(), canary.close()]);
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
});
