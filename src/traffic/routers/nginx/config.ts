import { join } from 'node:path';
import { UfError } from '../../../core/errors.js';

export interface NginxConfigInput {
  /** Directory for the pid file, logs and temp files (nginx's `-p` prefix in tests). */
  prefix: string;
  /** The public `listen` address, e.g. `127.0.0.1:8080`. */
  listen: string;
  /** The include file the router owns. */
  includeFile: string;
  service: string;
  workerProcesses?: number;
}

const quoted = (path: string): string => {
  if (/["\\$]/.test(path)) throw new UfError('usage', 'nginx paths cannot contain quotes, "$" or "\\"', { record: path });
  return `"${path}"`;
};

/**
 * A complete nginx.conf for one service behind uf (tests and quick starts). Everything lives under
 * `prefix`, so it runs beside a system nginx without touching it. The lines an existing
 * configuration needs are the `include` in `http` and the `proxy_pass` with its Host header.
 */
export function renderNginxConfig(input: NginxConfigInput): string {
  const under = (name: string): string => quoted(join(input.prefix, name));
  return [
    `worker_processes ${input.workerProcesses ?? 2};`,
    `pid ${under('nginx.pid')};`,
    `error_log ${under('error.log')} warn;`,
    '',
    'events {',
    '    worker_connections 1024;',
    '}',
    '',
    'http {',
    '    access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${under(`temp/${kind}`)};`),
    `    include ${quoted(input.includeFile)};`,
    '',
    '    server {',
    `        listen ${input.listen};`,
    '        location / {',
    `            proxy_pass http://$uf_${input.service}_upstream;`,
    '            proxy_set_header Host $host;',
    '            proxy_http_version 1.1;',
    '            proxy_set_header Connection "";',
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');
}
