import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Version = 'stable' | 'canary' | 'baseline';

export interface Upstreams {
  stable: string;
  canary: string;
  baseline: string;
  close(): Promise<void>;
}

function startOne(version: Version): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    response.setHeader('x-version', version);
    response.end(version);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Three small upstream HTTP servers on loopback, answering with `x-version: stable|canary|baseline`. */
export async function startUpstreams(): Promise<Upstreams> {
  const [stable, canary, baseline] = await Promise.all([startOne('stable'), startOne('canary'), startOne('baseline')]);
  const address = (server: Server) => `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    stable: address(stable),
    canary: address(canary),
    baseline: address(baseline),
    close: async () => {
      for (const server of [stable, canary, baseline]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}
