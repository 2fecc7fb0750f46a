import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UfError } from '../core/errors.js';
import type { HostPort } from './server.js';

/** Listens on `address`; a port in use is a conflict, anything else a usage error naming `what`. */
export function listen(server: http.Server, address: HostPort, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) =>
      reject(new UfError(error.code === 'EADDRINUSE' ? 'conflict' : 'usage', `cannot listen for the ${what} on ${address.host}:${address.port}: ${error.code ?? error.message}`, undefined, { cause: error }));
    server.once('error', fail);
    server.listen(address.port, address.host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/** The http URL a listening server answers on (IPv6 hosts in brackets). */
export function urlOf(server: http.Server): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
