import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago, for servers that cannot listen on port 0 and report
 * back (haproxy, nginx): bind a node server to port 0, read the port, close it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
