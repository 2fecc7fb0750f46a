import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleService, type SampleService } from '../src/proxy/sample-service.js';
import { runUf, ufBin } from './helpers/cli.js';
import { freePort } from './helpers/ports.js';
import { postgresSkipReason, postgresUrl } from './helpers/stores.js';

/**
 * A TCP relay between `uf serve` and PostgreSQL, so the test can take "the database" away and
 * bring it back (as a restart does) without touching the PostgreSQL server other suites share.
 */
async function startRelay(port: number, target: { host: string; port: number }): Promise<{ stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let stopped = false;
  const server: Server = createServer((client) => {
    // A connection that slips in while stopping is refused, so close() never waits on it.
    if (stopped) return void client.destroy();
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(postgresUrl === undefined)(`uf serve when PostgreSQL connections die${postgresUrl === undefined ? ` (${postgresSkipReason})` : ''}`, () => {
  const appName = `uf_fault_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const schema = appName;
  let dir: string;
  let stable: SampleService;
  let canary: SampleService;
  let admin: pg.Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-serve-pg-'));
    admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
    stable = await startSampleService({ version: 'v1' });
    canary = await startSampleService({ version: 'v2' });
  });
  afterAll(async () => {
    await admin?.query(`drop schema if exists "${schema}" cascade`);
    await admin?.end();
    await stable?.close();
    await canary?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays up, keeps routing traffic, reports readiness and answers again after reconnecting', { timeout: 240_000 }, async () => {
    const target = new URL(postgresUrl!);
    const relayPort = await freePort();
    let relay = await startRelay(relayPort, { host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(postgresUrl!);
    url.host = `127.0.0.1:${relayPort}`;
    url.searchParams.set('options', `-c search_path=${schema}`);
    // Scopes pg_terminate_backend to this test's connections.
    url.searchParams.set('application_name', appName);
    const env = { UF_DATABASE_URL: url.toString() };

    writeFileSync(join(dir, 'factory.yaml'), 'version: 1\n');
    const created = await runUf(['token', 'create', '--role', 'viewer', '--json'], { cwd: dir, env });
    expect(created.stderr).toBe('');
    const { secret } = JSON.parse(created.stdout) as { secret: string };
    const proxyPort = await freePort();
    writeFileSync(
      join(dir, 'factory.yaml'),
      ['version: 1', 'traffic:', '  proxies:', `    - { service: checkout, listen: "127.0.0.1:${proxyPort}", stable: "${stable.url}", canary: "${canary.url}", canaryWeight: 50 }`].join('\n'),
    );
    const child: ChildProcess = spawn(process.execPath, [ufBin, 'serve', '--port', '0', '--no-intake'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`uf serve did not report its address within 90 s: ${stderr}`)), 90_000);
        child.once('exit', () => clearTimeout(timer));
        let buffer = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          for (const line of buffer.split('\n')) if (line.includes('"upgrade factory serving"')) { clearTimeout(timer); resolve((JSON.parse(line) as { address: string }).address); }
        });
        child.on('exit', (code) => reject(new Error(`uf serve exited early with ${code}: ${stderr}`)));
      });
      // Every call is bounded, so a hang shows up as a failed expectation, not a test timeout.
      const api = () => fetch(`${address}/api/v1/info`, { headers: { authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(20_000) }).then((r) => r.status, () => 0);
      const ready = () => fetch(`${address}/readyz`, { signal: AbortSignal.timeout(20_000) }).then(async (r) => ({ status: r.status, body: (await r.json()) as { reason?: string } }));
      expect(await api()).toBe(200);

      // A bounded stream of proxied requests, a few at a time, for the whole fault sequence.
      let proxied = 0;
      const failures: string[] = [];
      let stopTraffic = false;
      const traffic = Promise.all(
        [0, 1, 2].map(async () => {
          for (let i = 0; i < 2000 && !stopTraffic; i++) {
            try {
              const response = await fetch(`http://127.0.0.1:${proxyPort}/`, { signal: AbortSignal.timeout(20_000) });
              await response.arrayBuffer();
              if (response.status !== 200) failures.push(`status ${response.status}`);
              proxied++;
            } catch (error) {
              failures.push(String(error));
            }
            await sleep(5);
          }
        }),
      );

      // 1. Every connection of this server is terminated, twice, while it serves API calls.
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 5; i++) await api();
        expect(child.exitCode, `uf serve died: ${stderr}`).toBeNull();
        const killed = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [appName]);
        expect(killed.rowCount).toBeGreaterThan(0);
        await sleep(300);
        expect(child.exitCode).toBeNull();
      }
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) status = await api().then((s) => (s === 200 ? s : sleep(200).then(() => s)));
      expect(status).toBe(200);

      // 2. The database goes away altogether: readiness says so, naming the store; traffic still flows.
      await relay.stop();
      const down = await ready();
      expect(down.status).toBe(503);
      expect(down.body.reason).toContain(`127.0.0.1:${relayPort}`);
      expect(down.body.reason).toMatch(/unreachable/);
      expect(child.exitCode).toBeNull();

      // 3. It comes back: readiness and the API recover without a restart.
      relay = await startRelay(relayPort, { host: target.hostname, port: Number(target.port || 5432) });
      let readyAgain = 0;
      for (let i = 0; i < 50 && readyAgain !== 200; i++) {
        readyAgain = (await ready()).status;
        if (readyAgain !== 200) await sleep(200);
      }
      expect(readyAgain).toBe(200);
      expect(await api()).toBe(200);

      stopTraffic = true;
      await traffic;
      expect(failures).toEqual([]);
      expect(proxied).toBeGreaterThan(20);
      expect(child.exitCode).toBeNull();
      expect(stderr).not.toMatch(/Unhandled 'error' event|\n\s+at /);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
      await relay.stop();
    }
  });
});
