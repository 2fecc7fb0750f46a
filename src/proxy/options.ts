import { UfError } from '../core/errors.js';
import type { HostPort } from './server.js';

/** Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces). */
export function parseHostPort(text: string, option: string): HostPort {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new UfError('usage', `${option} must be HOST:PORT (port 0..65535), not '${text}'`);
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** Parses a canary weight in percent, 0..100 (fractions allowed down to 0.01). */
export function parseWeight(text: string | number, option: string): number {
  const value = typeof text === 'number' ? text : text.trim() === '' ? NaN : Number(text.trim().replace(/%$/, ''));
  if (!Number.isFinite(value) || value < 0 || value > 100) throw new UfError('usage', `${option} must be a percentage from 0 to 100, not '${text}'`);
  return value;
}

/** Parses a positive duration in milliseconds. */
export function parseMillis(text: string | number, option: string): number {
  const value = typeof text === 'number' ? text : Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UfError('usage', `${option} must be a positive whole number of milliseconds, not '${text}'`);
  return value;
}
