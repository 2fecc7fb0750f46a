import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleService } from '../../src/proxy/sample-service.js';
import { freePort } from '../helpers/ports.js';
import { runUf, ufBin } from '../helpers/cli.js';


/** `uf proxy` exactly as DESIGN.md's stable contract gives it, run as its own process. */
describe('uf proxy (the command)', { timeout: 120_000 }, () => {
  let stable: Awaited<ReturnType<typeof startSampleService>>;
  let canary: Awaited<ReturnType<typeof startSampleService>>;
  beforeAll(async () => {
    stable = await startSampleService({ version: 'v1' });
    canary = await startSampleService({ version: 'v2' });
  });
  afterAll(async () => {
    await stable.close();
    await canary.close();
  });

  it('proxies with the given weight, serves /metrics and /weights on the admin address, and stops on SIGTERM', async () => {
    const [port, adminPort] = [await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      [ufBin, 'proxy', '--listen', `127.0.0.1:${port}`, '--stable', stable.url, '--canary', canary.url, '--canary-weight', '0', '--sticky', 'header:x-user', '--admin', `127.0.0.1:${adminPort}`],
      { env: { ...process.env, UF_ADMIN_TOKEN: 'secret', UF_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('uf proxy:') && resolve());
        child.on('exit', (code) => reject(new Error(`uf proxy exited with ${code}`)));
      });
      const admin = `http://127.0.0.1:${adminPort}`;
      const auth = { authorization: 'Bearer secret' };
      expect((await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-user': 'u1' } })).headers.get('x-version')).toBe('v1');
      expect((await fetch(`${admin}/weights`)).status).toBe(401);
      const put = await fetch(`${admin}/weights`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ canary: 100 }) });
      expect(put.status).toBe(200);
      expect(await (await fetch(`${admin}/weights`, { headers: auth })).json()).toMatchObject({ canary: 100, stable: 0 });
      expect((await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-user': 'u1' } })).headers.get('x-version')).toBe('v2');
      const metrics = await (await fetch(`${admin}/metrics`, { headers: auth })).text();
      expect(metrics).toMatch(/uf_proxy_requests_total\{[^}]*variant="canary"[^}]*\} 1/);
      expect(metrics).toContain('uf_proxy_request_duration_seconds_bucket');
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses bad flags with exit 2 and a one-line reason', async () => {
    const missing = await runUf(['proxy', '--listen', '127.0.0.1:0', '--stable', stable.url], { cwd: process.cwd() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--canary <url>'");
    const weight = await runUf(['proxy', '--listen', '127.0.0.1:0', '--stable', stable.url, '--canary', canary.url, '--canary-weight', '120'], { cwd: process.cwd() });
    expect(weight.code).toBe(2);
    expect(weight.stderr).toMatch(/canary-weight/);
    const sticky = await runUf(['proxy', '--listen', '127.0.0.1:0', '--stable', stable.url, '--canary', canary.url, '--sticky', 'session'], { cwd: process.cwd() });
    expect(sticky.code).toBe(2);
  });

  it('refuses an admin API beyond loopback without UF_ADMIN_TOKEN (exit 2, one line), and starts none of it', async () => {
    const open = await runUf(['proxy', '--listen', '127.0.0.1:0', '--stable', stable.url, '--canary', canary.url, '--admin', '0.0.0.0:0'], { cwd: process.cwd(), env: { UF_ADMIN_TOKEN: '' } });
    expect(open.code).toBe(2);
    expect(open.stderr.trim().split('\n')).toHaveLength(1);
    expect(open.stderr).toMatch(/--admin 0\.0\.0\.0:0 is not a loopback address: set UF_ADMIN_TOKEN/);
  });
});
