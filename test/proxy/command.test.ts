import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { UfError } from '../../src/core/errors.js';
import type { RunningCluster } from '../../src/proxy/cluster/primary.js';
import { routerNodeFlags } from '../../src/proxy/heap.js';
import { parseWorkers, runProxyCommand } from '../../src/proxy/command.js';
import { startSampleService } from '../../src/proxy/sample-service.js';
import { send } from './helpers.js';

const silent = pino({ level: 'silent' });

describe('uf proxy (runProxyCommand)', () => {
  it('serves with the given weight and sticky key, and guards the admin API with UF_ADMIN_TOKEN', async () => {
    const stable = await startSampleService({ version: 'v1' });
    const canary = await startSampleService({ version: 'v2' });
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const lines: string[] = [];
    let proxy!: { url: string; adminUrl: string | undefined };
    const ready = new Promise<void>((resolve) => {
      const run = runProxyCommand(
        { listen: '127.0.0.1:0', admin: '127.0.0.1:0', stable: stable.url, canary: canary.url, canaryWeight: '100', sticky: 'cookie:sid' },
        { env: { UF_ADMIN_TOKEN: 'tok' }, logger: silent, until, out: (line) => lines.push(line), onReady: (p) => ((proxy = p), resolve()) },
      );
      void run.then((code) => lines.push(`exit ${code}`));
    });
    await ready;
    expect(lines[0]).toMatch(/^uf proxy: http:\/\/127\.0\.0\.1:\d+ -> stable .* at 100% \(sticky: cookie:sid\); admin http:\/\/127\.0\.0\.1:\d+$/);
    expect((await send(`${proxy.url}/`)).version).toBe('v2');
    expect((await send(`${proxy.adminUrl!}/weights`)).status).toBe(401);
    expect((await send(`${proxy.adminUrl!}/weights`, { headers: { authorization: 'Bearer tok' } })).status).toBe(200);
    stop();
    await expect.poll(() => lines.at(-1)).toBe('exit 0');
    await Promise.all([stable.close(), canary.close()]);
  });

  it('refuses bad options with a usage error before listening', async () => {
    const base = { listen: '127.0.0.1:0', stable: 'http://127.0.0.1:1', canary: 'http://127.0.0.1:2' };
    for (const [options, message] of [
      [{ ...base, listen: '8080' }, /--listen must be HOST:PORT/],
      [{ ...base, canaryWeight: '150' }, /--canary-weight must be a percentage from 0 to 100/],
      [{ ...base, sticky: 'query:id' }, /--sticky must be header:NAME, cookie:NAME or ip/],
      [{ ...base, stable: 'ftp://x' }, /--stable must be an http:\/\/ or https:\/\/ URL/],
      [{ ...base, canary: 'not a url' }, /--canary must be an http:\/\/ or https:\/\/ URL/],
      [{ ...base, upstreamTimeout: '0' }, /--upstream-timeout must be a positive whole number/],
      [{ ...base, deadline: 'soon' }, /--deadline must be a positive whole number/],
      [{ ...base, admin: '0.0.0.0:0' }, /--admin 0\.0\.0\.0:0 is not a loopback address: set UF_ADMIN_TOKEN/],
    ] as const) {
      const error = await runProxyCommand(options, { env: {}, logger: silent, until: Promise.resolve() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UfError);
      expect((error as UfError).code).toBe('usage');
      expect((error as UfError).message).toMatch(message);
    }
  });
});

describe('uf proxy --workers', () => {
  it('defaults to the number of cores, at most 8, and refuses anything but 1..64', () => {
    expect(parseWorkers(undefined, 2)).toBe(2);
    expect(parseWorkers(undefined, 32)).toBe(8);
    expect(parseWorkers(undefined, 1)).toBe(1);
    expect(parseWorkers('1')).toBe(1);
    expect(parseWorkers('4')).toBe(4);
    for (const bad of ['0', '65', 'two', '1.5', '']) expect(() => parseWorkers(bad)).toThrow(/--workers must be a whole number from 1 to 64/);
  });

  it('runs --workers 1 as one worker under the primary: with the router V8 flags, and restarted when it dies', { timeout: 60_000 }, async () => {
    const stable = await startSampleService({ version: 'v1' });
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const lines: string[] = [];
    let proxy!: RunningCluster;
    const ready = new Promise<void>((resolve) => {
      void runProxyCommand({ listen: '127.0.0.1:0', stable: stable.url, canary: stable.url, workers: '1' }, { env: {}, logger: silent, until, out: (line) => lines.push(line), onReady: (p) => ((proxy = p), resolve()) }).then((code) => lines.push(`exit ${code}`));
    });
    await ready;
    expect(lines[1]).toBe(`uf proxy: 1 router process serves ${proxy.url}, restarted if it stops`);
    const [pid] = proxy.workerPids();
    expect(proxy.workerPids()).toHaveLength(1);
    expect(pid).not.toBe(process.pid);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    for (const flag of routerNodeFlags) expect(argv).toContain(flag);
    expect((await send(`${proxy.url}/`)).version).toBe('v1');
    process.kill(pid!, 'SIGKILL');
    await expect.poll(() => proxy.workerPids().some((p) => p !== pid), { timeout: 20_000 }).toBe(true);
    await expect.poll(async () => (await send(`${proxy.url}/`).catch(() => ({ version: undefined }))).version, { timeout: 20_000 }).toBe('v1');
    stop();
    await expect.poll(() => lines.at(-1), { timeout: 20_000 }).toBe('exit 0');
    await stable.close();
  });
});
