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

/** Whether a host names this machine only: 127.0.0.0/8, ::1 (also IPv4-mapped) or localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (bare === '::1' || /^(0{0,4}:){7}0{0,3}1$/.test(bare)) return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) && v4.split('.').every((part) => Number(part) <= 255);
}

/**
 * The admin API moves production traffic, so it may listen beyond loopback only with a bearer
 * token: a warning in a log nobody reads leaves it open to the whole network.
 */
export function assertAdminExposure(admin: HostPort | undefined, token: string | undefined, option: string): void {
  if (admin === undefined || isLoopbackHost(admin.host)) return;
  if (token !== undefined && token !== '') return;
  throw new UfError('usage', `${option} ${admin.host}:${admin.port} is not a loopback address: set UF_ADMIN_TOKEN, or listen on 127.0.0.1, ::1 or localhost`);
}
