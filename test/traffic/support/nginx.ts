import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrafficRouterHarness } from '../../../src/traffic/traffic-router.contract.js';
import { createNginxRouter, renderNginxConfig, renderNginxInclude, type NginxRouterOptions } from '../../../src/traffic/routers/nginx/index.js';
import { freePort } from '../../helpers/ports.js';
import { startServer, type RunningServer } from './process.js';
import { sendThrough } from './send.js';
import { startUpstreams } from './upstreams.js';

export interface NginxHarness extends TrafficRouterHarness {
  nginx: RunningServer;
  /** The options the router runs with, to build a second router on the same files. */
  options: NginxRouterOptions;
  /** The master's pid, from its pid file. */
  masterPid(): number;
  /** Where the service's traffic enters nginx. */
  url: string;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const call = request({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    call.on('error', () => resolve(false));
    call.end();
  });
}

export interface NginxHarnessOptions {
  /** Adds a third `server`, the baseline, to the weighted upstream, and tells the router about it. */
  baseline?: boolean;
}

/**
 * A real nginx in the foreground on loopback, prefix, config, pid and logs in a temp directory
 * (nothing under /etc or /var, no system service), in front of small upstreams.
 */
export async function startNginxHarness(binary: string, harnessOptions: NginxHarnessOptions = {}): Promise<NginxHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'uf-nginx-'));
  // Workers drop root privileges (to nobody): they must be able to enter the directory.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'temp'));
  const upstreams = await startUpstreams();
  const [port, statusPort] = [await freePort(), await freePort()];
  const includeFile = join(dir, 'uf-shop.conf');
  const config = join(dir, 'nginx.conf');
  const errorLog = join(dir, 'error.log');
  const options: NginxRouterOptions = {
    service: 'shop',
    stable: upstreams.stable,
    canary: upstreams.canary,
    ...(harnessOptions.baseline ? { baseline: upstreams.baseline } : {}),
    statusListen: `127.0.0.1:${statusPort}`,
    includeFile,
    nginx: { binary, config, prefix: dir, errorLog, pidFile: join(dir, 'nginx.pid') },
  };
  writeFileSync(includeFile, renderNginxInclude(options, { generation: 1, canary: 0 }));
  writeFileSync(config, renderNginxConfig({ prefix: dir, listen: `127.0.0.1:${port}`, includeFile, service: 'shop' }));
  let nginx: RunningServer;
  try {
    nginx = await startServer(binary, ['-p', dir, '-e', errorLog, '-c', config, '-g', 'daemon off;'], () => answers(port));
  } catch (error) {
    await upstreams.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    router: createNginxRouter(options),
    withoutBaseline: createNginxRouter({ ...options, baseline: undefined }),
    nginx,
    options,
    masterPid: () => Number(readFileSync(options.nginx.pidFile, 'utf8').trim()),
    url: `http://127.0.0.1:${port}`,
    send: sendThrough(port),
    teardown: async () => {
      await nginx.stop();
      await upstreams.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
