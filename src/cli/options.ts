import { UfError } from '../core/errors.js';

/** A --port value: an integer 0..65535 (0 picks a free port); a usage error otherwise. */
export function parsePort(value: string, option = '--port'): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UfError('usage', `${option} must be 0..65535, not '${value}'`);
  return port;
}

/**
 * Fails now, with the system's EADDRINUSE / EADDRNOTAVAIL, when HOST:PORT cannot be listened on,
 * so a command that would listen after minutes of work (the demo) says so before starting it.
 */
export async function ensureListenable(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const { createServer } = await import('node:net');
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
