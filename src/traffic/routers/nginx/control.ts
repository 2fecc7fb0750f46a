import { execFile } from 'node:child_process';
import type { InputLocation } from '../../../core/errors.js';
import type { NginxRouterOptions } from './types.js';

export interface NginxCommandResult {
  ok: boolean;
  /** nginx's first `[emerg]` (or other) line, without the `nginx: ` prefix. */
  message: string;
  location: InputLocation;
}

/** `nginx -t`: parses the whole configuration, includes and all, as the master will on reload. */
export function testNginxConfig(options: NginxRouterOptions['nginx']): Promise<NginxCommandResult> {
  const args: string[] = [];
  if (options.prefix !== undefined) args.push('-p', options.prefix);
  if (options.errorLog !== undefined) args.push('-e', options.errorLog);
  args.push('-c', options.config, '-t', '-q');
  return new Promise((resolve) => {
    execFile(options.binary ?? 'nginx', args, { timeout: 30_000 }, (error, _stdout, stderr) => {
      const lines = String(stderr).split('\n').filter((line) => line.trim() !== '');
      const problem = lines.find((line) => /\[(emerg|alert|crit|error)\]/.test(line)) ?? lines[0] ?? error?.message ?? '';
      const where = / in (\/\S+?):(\d+)$/.exec(problem);
      const location: InputLocation = where ? { file: where[1], line: Number(where[2]) } : { file: options.config };
      resolve({ ok: error === null, message: problem.replace(/^nginx: /, ''), location });
    });
  });
}
