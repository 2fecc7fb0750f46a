import { describe, expect, it } from 'vitest';
import { startProxy, type RunningProxy } from '../proxy/server.js';
import { freePort } from '../../test/helpers/ports.js';
import { reapplyWeights } from './reapply.js';
import { createBuiltinRouter } from './routers/builtin/index.js';
import { sendThroughProxy, startVersions } from './routers/builtin/testing.js';

describe('reapplyWeights with the built-in router', () => {
  it('puts the recorded weights back after the proxy restarts, and does nothing when they are in force', async () => {
    const versions = await startVersions();
    const [port, adminPort] = [await freePort(), await freePort()];
    const start = (): Promise<RunningProxy> =>
      startProxy({ listen: { host: '127.0.0.1', port }, admin: { host: '127.0.0.1', port: adminPort }, stable: versions.stable.url, canary: versions.canary.url, baseline: versions.baseline.url });
    let proxy = await start();
    try {
      const router = createBuiltinRouter({ adminUrl: proxy.adminUrl!, baseline: true });
      const recorded = { canary: 25, baseline: 25 };
      await router.setWeights(recorded);
      expect(await reapplyWeights(router, recorded)).toEqual({ found: { canary: 25, baseline: 25, stable: 50 }, wanted: recorded, applied: false });

      // A restart (a new process on the same addresses) starts from its defaults: everything on stable.
      await proxy.close();
      proxy = await start();
      expect(await sendThroughProxy(proxy.url, undefined)).toBe('stable');
      const outcome = await reapplyWeights(router, recorded);
      expect(outcome).toEqual({ found: { canary: 0, baseline: 0, stable: 100 }, wanted: recorded, applied: true });
      expect(await router.verifyWeight()).toEqual({ canary: 25, baseline: 25, stable: 50 });
      expect((await reapplyWeights(router, recorded)).applied).toBe(false);

      // A recorded canary-only state takes a baseline someone left behind back to 0.
      expect(await reapplyWeights(router, { canary: 25 })).toMatchObject({ wanted: { canary: 25, baseline: 0 }, applied: true });
      expect(await router.verifyWeight()).toEqual({ canary: 25, baseline: 0, stable: 75 });
    } finally {
      await proxy.close();
      await Promise.all(Object.values(versions).map((version) => version.close()));
    }
  });

  it('lets the router refuse what it cannot do, changing nothing', async () => {
    const versions = await startVersions();
    const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, stable: versions.stable.url, canary: versions.canary.url, canaryWeight: 10 });
    try {
      const router = createBuiltinRouter({ adminUrl: proxy.adminUrl! });
      await expect(reapplyWeights(router, { canary: 5, baseline: 5 })).rejects.toMatchObject({ code: 'usage' });
      expect(proxy.control.weights()).toMatchObject({ canary: 10, stable: 90 });
    } finally {
      await proxy.close();
      await Promise.all(Object.values(versions).map((version) => version.close()));
    }
  });
});
