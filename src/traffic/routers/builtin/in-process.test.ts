import { pino } from 'pino';
import { startSampleService } from '../../../proxy/sample-service.js';
import { startRouterHost } from '../../../proxy/worker/host.js';
import { runTrafficRouterContract } from '../../traffic-router.contract.js';
import { createInProcessBuiltinRouter } from './in-process.js';

/** The same contract, with the router in `uf serve`'s worker thread and driven by message. */
runTrafficRouterContract({
  name: 'builtin (worker thread)',
  async setup() {
    const stable = await startSampleService({ version: 'stable' });
    const canary = await startSampleService({ version: 'canary' });
    const host = await startRouterHost([{ service: 'contract', listen: { host: '127.0.0.1', port: 0 }, stable: stable.url, canary: canary.url, canaryWeight: 0 }], { logger: pino({ level: 'silent' }) });
    const handle = host.routers[0]!;
    return {
      router: createInProcessBuiltinRouter(handle),
      async send({ headers }) {
        const response = await fetch(`${handle.url}/contract`, { headers });
        await response.arrayBuffer();
        const version = response.headers.get('x-version');
        if (response.status !== 200 || (version !== 'stable' && version !== 'canary')) throw new Error(`unexpected answer ${response.status} from ${version}`);
        return version;
      },
      async teardown() {
        await host.close();
        await Promise.all([stable.close(), canary.close()]);
      },
    };
  },
});
