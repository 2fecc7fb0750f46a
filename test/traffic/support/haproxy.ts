import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHaproxyRouter, renderHaproxyConfig, runtimeApiCommand, parseRuntimeApiAddress, type HaproxyRouter } from '../../../src/traffic/routers/haproxy/index.js';
import type { TrafficRouterHarness } from '../../../src/traffic/traffic-router.contract.js';
import { freePort } from '../../helpers/ports.js';
import { startServer, type RunningServer } from './process.js';
import { sendThrough } from './send.js';
import { startUpstreams } from './upstreams.js';

export interface HaproxyHarness extends TrafficRouterHarness {
  router: HaproxyRouter;
  haproxy: RunningServer;
  /** Sends one raw runtime API line to this haproxy. */
  runtimeApi(line: string): Promise<string>;
  /**
   * Stops haproxy and starts it again from the same haproxy.cfg (same socket, port and map file),
   * as a crash and a restart by its service manager would: the runtime weights are forgotten.
   */
  restart(): Promise<void>;
}

export interface HaproxyHarnessOptions {
  /** Adds a third server, `baseline`, to the backend, and tells the router about it. */
  baseline?: boolean;
}

/**
 * A real haproxy in the foreground on loopback, with its own config, socket and map in a temp
 * directory (nothing under /etc, no system service), in front of small upstreams.
 */
export async function startHaproxyHarness(binary: string, options: HaproxyHarnessOptions = {}): Promise<HaproxyHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'uf-haproxy-'));
  const upstreams = await startUpstreams();
  const port = await freePort();
  const socket = join(dir, 'admin.sock');
  const routeMap = join(dir, 'route.map');
  const configFile = join(dir, 'haproxy.cfg');
  writeFileSync(routeMap, '');
  writeFileSync(
    configFile,
    renderHaproxyConfig({
      runtimeApi: socket,
      bind: `127.0.0.1:${port}`,
      backend: 'shop',
      servers: {
        stable: { name: 'stable', address: upstreams.stable },
        canary: { name: 'canary', address: upstreams.canary },
        ...(options.baseline ? { baseline: { name: 'baseline', address: upstreams.baseline } } : {}),
      },
      routeMap,
    }),
  );
  const runtimeApi = (line: string) => runtimeApiCommand(parseRuntimeApiAddress(socket), line);
  const start = () => startServer(binary, ['-f', configFile, '-db'], async () => /^Pid: \d+/m.test(await runtimeApi('show info')));
  let haproxy: RunningServer;
  try {
    haproxy = await start();
  } catch (error) {
    await upstreams.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const servers = { stable: 'stable', canary: 'canary' };
  const router = createHaproxyRouter({ runtimeApi: socket, backend: 'shop', servers: options.baseline ? { ...servers, baseline: 'baseline' } : servers, routeMap });
  const harness: HaproxyHarness = {
    router,
    withoutBaseline: createHaproxyRouter({ runtimeApi: socket, backend: 'shop', servers, routeMap }),
    haproxy,
    runtimeApi,
    send: sendThrough(port),
    restart: async () => {
      await harness.haproxy.stop();
      harness.haproxy = await start();
    },
    teardown: async () => {
      await harness.haproxy.stop();
      await upstreams.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
