import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ufBin = fileURLToPath(new URL('../../bin/uf.js', import.meta.url));
export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `uf` binary (npm test builds first) as a user would, in its own process. */
export function runUf(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, UF_ACTOR: 'user:test', ...options.env };
    delete env.UF_DATABASE_URL;
    delete env.UF_CONFIG;
    Object.assign(env, options.env);
    const child = spawn(process.execPath, [ufBin, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
