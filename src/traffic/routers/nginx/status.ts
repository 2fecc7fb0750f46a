import { request } from 'node:http';
import { UfError } from '../../../core/errors.js';
import { nginxStateSchema, type NginxStateRecord } from './schema.js';

/**
 * Asks the status endpoint which state the running configuration holds. A fresh connection each
 * time: a kept-alive one could stay with an old worker that is finishing its requests.
 */
export function fetchRunningState(statusListen: string, service: string, timeoutMs = 2000): Promise<NginxStateRecord> {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(statusListen);
  const host = match?.[1] ?? match?.[2] ?? '127.0.0.1';
  const port = Number(match?.[3]);
  const unavailable = (message: string, cause?: unknown) =>
    new UfError('source_unavailable', message, { record: `http://${statusListen}/uf/state` }, { cause });
  return new Promise((resolve, reject) => {
    const call = request(
      { host, port, path: '/uf/state', headers: { host: `uf-state.${service}`, connection: 'close' }, agent: false, timeout: timeoutMs },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) return reject(unavailable(`nginx status endpoint answered ${response.statusCode ?? 'nothing'}`));
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch (error) {
            return reject(unavailable('nginx status endpoint answered something other than JSON', error));
          }
          const parsed = nginxStateSchema.safeParse(json);
          if (!parsed.success || parsed.data.service !== service) return reject(unavailable('nginx status endpoint answered for another service or format'));
          resolve(parsed.data);
        });
      },
    );
    call.on('timeout', () => call.destroy(unavailable(`nginx status endpoint did not answer within ${timeoutMs} ms`)));
    call.on('error', (error) => reject(error instanceof UfError ? error : unavailable('nginx status endpoint is unreachable', error)));
    call.end();
  });
}
