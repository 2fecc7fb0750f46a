import { request } from 'node:http';
import type { Version } from './upstreams.js';

/**
 * Sends one GET through the data plane at `port` on a fresh connection and reports which upstream
 * answered (its `x-version` header). Anything but a 200 with that header is an error.
 */
export function sendThrough(port: number): (options: { headers?: Record<string, string> }) => Promise<Version> {
  return (options) =>
    new Promise((resolve, reject) => {
      const call = request(
        { host: '127.0.0.1', port, path: '/', headers: { ...options.headers, connection: 'close' }, agent: false, timeout: 5000 },
        (response) => {
          response.resume();
          response.on('end', () => {
            const version = response.headers['x-version'];
            if (response.statusCode === 200 && (version === 'stable' || version === 'canary' || version === 'baseline')) return resolve(version);
            reject(new Error(`data plane answered ${response.statusCode ?? '?'} with x-version ${String(version)}`));
          });
        },
      );
      call.on('timeout', () => call.destroy(new Error('data plane did not answer within 5000 ms')));
      call.on('error', reject);
      call.end();
    });
}
