import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleService } from '../src/proxy/sample-service.js';
import { freePort } from './helpers/ports.js';
import { runUf, ufBin } from './helpers/cli.js';

describe('uf serve', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-serve-'));
    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves health, readiness, the OpenAPI document and authenticated API calls, and stops on SIGTERM', async () => {
    const { secret } = JSON.parse((await runUf(['token', 'create', '--role', 'viewer', '--json'], { cwd: dir })).stdout) as { secret: string };
    const child = spawn(process.execPath, [ufBin, 'serve', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, UF_DATABASE_URL: '' } });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let buffer = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          for (const line of buffer.split('\n')) {
            if (line.includes('"upgrade factory serving"')) resolve((JSON.parse(line) as { address: string }).address);
          }
        });
        child.on('exit', (code) => reject(new Error(`uf serve exited early with ${code}`)));
      });
      expect((await (await fetch(`${address}/healthz`)).json()).status).toBe('ok');
      expect((await (await fetch(`${address}/readyz`)).json()).store).toBe('sqlite');
      expect((await (await fetch(`${address}/openapi.json`)).json()).info.title).toBe('Upgrade Factory API');
      expect((await fetch(`${address}/api/v1/info`)).status).toBe(401);
      const info = await fetch(`${address}/api/v1/info`, { headers: { authorization: `Bearer ${secret}` } });
      expect(await info.json()).toMatchObject({ store: 'sqlite', token: { role: 'viewer' } });
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('runs the built-in routers listed under traffic.proxies in-process', async () => {
    const stable = await startSampleService({ version: 'v1' });
    const canary = await startSampleService({ version: 'v2' });
    const port = await freePort();
    writeFileSync(
      join(dir, 'factory.yaml'),
      ['version: 1', 'traffic:', '  proxies:', `    - { service: checkout, listen: "127.0.0.1:${port}", stable: "${stable.url}", canary: "${canary.url}", canaryWeight: 100 }`].join('\n'),
    );
    const child = spawn(process.execPath, [ufBin, 'serve', '--port', '0', '--no-intake'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, UF_DATABASE_URL: '' } });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('"upgrade factory serving"') && resolve());
        child.on('exit', (code) => reject(new Error(`uf serve exited early with ${code}`)));
      });
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(response.headers.get('x-version')).toBe('v2');
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await stable.close();
      await canary.close();
    }
  });
});
