import { createConnection } from 'node:net';
import { UfError } from '../../../core/errors.js';

export type RuntimeApiAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/** Reads an address the way haproxy.cfg writes it: a socket path, `unix@…`, `host:port`, `ipv4@…`, `ipv6@…`. */
export function parseRuntimeApiAddress(text: string): RuntimeApiAddress {
  if (text.startsWith('unix@')) return { kind: 'unix', path: text.slice('unix@'.length) };
  if (text.startsWith('/') || text.startsWith('.')) return { kind: 'unix', path: text };
  const bare = text.replace(/^ipv[46]@/, '');
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(bare);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) {
    throw new UfError('config_invalid', 'expected a unix socket path or host:port for the HAProxy runtime API', {
      path: 'runtimeApi',
      record: text,
    });
  }
  return { kind: 'tcp', host: match[1] ?? match[2] ?? '', port };
}

export function describeRuntimeApiAddress(address: RuntimeApiAddress): string {
  return address.kind === 'unix' ? address.path : `${address.host}:${address.port}`;
}

/**
 * Escapes one argument for the runtime API, which splits a line on spaces and `;` and drops one
 * level of backslashes.
 */
export function cliArgument(text: string): string {
  return text.replace(/[\\ ;]/g, (char) => `\\${char}`);
}

/**
 * Sends one line (commands separated by `;`, run in order by HAProxy in this one connection) and
 * returns everything HAProxy answered. Non-interactive mode: HAProxy closes the connection once done.
 */
export function runtimeApiCommand(address: RuntimeApiAddress, line: string, timeoutMs = 5000): Promise<string> {
  if (line.includes('\n')) throw new UfError('usage', 'a runtime API command cannot span lines', { record: line });
  const where = describeRuntimeApiAddress(address);
  return new Promise((resolve, reject) => {
    const socket =
      address.kind === 'unix' ? createConnection(address.path) : createConnection(address.port, address.host);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new UfError('source_unavailable', `HAProxy runtime API did not answer within ${timeoutMs} ms`, { record: where }));
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) =>
      reject(new UfError('source_unavailable', 'HAProxy runtime API is unreachable', { record: where }, { cause: error })),
    );
    socket.on('end', () => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    // Keep our side open: HAProxy answers, then closes the connection itself.
    socket.write(`${line}\n`);
  });
}
