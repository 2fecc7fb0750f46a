import { UfError } from '../core/errors.js';

/** A --port value: an integer 0..65535 (0 picks a free port); a usage error otherwise. */
export function parsePort(value: string, option = '--port'): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UfError('usage', `${option} must be 0..65535, not '${value}'`);
  return port;
}
