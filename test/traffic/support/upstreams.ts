import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Version = 'stable' | 'canary';

export interface Upstreams {
  stable: string;
  canary: string;
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

/** Two small upstream HTTP servers on loopback, answering with `x-version: stable|canary`. */
export async function startUpstreams(): Promise<Upstreams> {
  const [stable, canary] = await Promise.all([startOne('stable'), startOne('canary')]);
  const address = (server: Server) => `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    stable: address(stable),
    canary: address(canary),
    close: async () => {
      for (const server of [stable, canary]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}
