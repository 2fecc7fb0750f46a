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
}

/**
 * A real haproxy in the foreground on loopback, with its own config, socket and map in a temp
 * directory (nothing under /etc, no system service), in front of two small upstreams.
 */
export async function startHaproxyHarness(binary: string): Promise<HaproxyHarness> {
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
      servers: { stable: { name: 'stable', address: upstreams.stable }, canary: { name: 'canary', address: upstreams.canary } },
      routeMap,
    }),
  );
  const runtimeApi = (line: string) => runtimeApiCommand(parseRuntimeApiAddress(socket), line);
  let haproxy: RunningServer;
  try {
    haproxy = await startServer(binary, ['-f', configFile, '-db'], async () => /^Pid: \d+/m.test(await runtimeApi('show info')));
  } catch (error) {
    await upstreams.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const router = createHaproxyRouter({ runtimeApi: socket, backend: 'shop', servers: { stable: 'stable', canary: 'canary' }, routeMap });
  return {
    router,
    haproxy,
    runtimeApi,
    send: sendThrough(port),
    teardown: async () => {
      await haproxy.stop();
      await upstreams.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
