import { pino } from 'pino';
import { startRouterHost } from '../../../proxy/worker/host.js';
import { runTrafficRouterContract } from '../../traffic-router.contract.js';
import { createInProcessBuiltinRouter } from './in-process.js';
import { sendThroughProxy, startVersions } from './testing.js';

/** The same contract, with the router in `uf serve`'s worker thread and driven by message. */
runTrafficRouterContract({
  name: 'builtin (worker thread)',
  async setup() {
    const versions = await startVersions();
    const listen = { host: '127.0.0.1', port: 0 };
    const host = await startRouterHost(
      [
        { service: 'contract', listen, stable: versions.stable.url, canary: versions.canary.url, baseline: versions.baseline.url, canaryWeight: 0 },
        { service: 'bare', listen, stable: versions.stable.url, canary: versions.canary.url, canaryWeight: 0 },
      ],
      { logger: pino({ level: 'silent' }) },
    );
    const [handle, bare] = host.routers as [(typeof host.routers)[number], (typeof host.routers)[number]];
    return {
      router: createInProcessBuiltinRouter(handle),
      withoutBaseline: createInProcessBuiltinRouter(bare),
      send: ({ headers }) => sendThroughProxy(handle.url, headers),
      async teardown() {
        await host.close();
        await Promise.all(Object.values(versions).map((version) => version.close()));
      },
    };
  },
});
