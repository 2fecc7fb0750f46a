import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandCheckSchema, type CommandCheckSettings } from '../../../config/sections/compat.js';
import type { CheckRequest } from '../../types.js';
import { checkRunnerContract, contractConsumer } from '../check-runner.contract.js';
import { createCommandCheckRunner } from './index.js';

const node = process.execPath;
const baseDir = mkdtempSync(join(tmpdir(), 'uf-command-check-'));
afterAll(() => rmSync(baseDir, { recursive: true, force: true }));

const hostEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/home/uf-test', UF_SECRET_TOKEN: 'must-not-leak', STAGING_URL: 'http://127.0.0.1:1' };
const runner = () => createCommandCheckRunner({ env: hostEnv });

function request(spec: Record<string, unknown>, signal = new AbortController().signal): CheckRequest<CommandCheckSettings> {
  return {
    checkId: 'unit-tests',
    kind: 'command',
    spec: commandCheckSchema.parse({ id: 'unit-tests', kind: 'command', ...spec }),
    upgradeId: 'upg_1',
    components: [{ ecosystem: 'npm', name: 'express', fromVersions: ['4.21.2'], targetVersion: '5.1.0' }],
    consumer: contractConsumer(),
    baseDir,
    signal,
  };
}

/** Whether `pid` is a live process (a zombie waiting to be reaped by an init that never reaps counts as dead). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Whether `pid` is dead now or within a second: a signal sent to a group lands a moment later. */
async function dies(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 1_000; waited += 25) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isAlive(pid);
}

checkRunnerContract('command', {
  create: runner,
  passing: () => request({ argv: [node, '-e', 'console.log("42 tests passed")'] }),
  failing: () => request({ argv: [node, '-e', 'console.error("1 test failed"); process.exit(1)'] }),
  broken: () => ({ request: request({ argv: ['uf-no-such-program-7f3a'] }), mentions: 'uf-no-such-program-7f3a' }),
});

describe('command check', () => {
  it('fails a non-zero exit with its code and the last stderr line', async () => {
    const outcome = await runner().run(request({ argv: [node, '-e', 'console.log("ran 12"); console.error("FAIL checkout.spec.ts\\n\\n"); process.exit(3)'] }));
    expect(outcome).toMatchObject({ status: 'fail', exitCode: 3, summary: 'exit 3: FAIL checkout.spec.ts' });
    expect(outcome.stdout).toBe('ran 12\n');
    expect(outcome.details).toMatchObject({ argv: [node, '-e', expect.any(String)], cwd: baseDir });
    expect(outcome.details?.['durationMs']).toEqual(expect.any(Number));
  });

  it('quotes the last stdout line when stderr is empty', async () => {
    const outcome = await runner().run(request({ argv: [node, '-e', 'console.log("first\\nlast words"); process.exit(2)'] }));
    expect(outcome.summary).toBe('exit 2: last words');
  });

  it('answers a program that does not exist or is not executable with an error naming it', async () => {
    const missing = await runner().run(request({ argv: ['./bin/no-such-tool'] }));
    expect(missing).toMatchObject({ status: 'error', exitCode: null });
    expect(missing.summary).toContain('"./bin/no-such-tool"');
    expect(missing.summary).toContain('ENOENT');

    const script = join(baseDir, 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\nexit 0\n');
    chmodSync(script, 0o644);
    const denied = await runner().run(request({ argv: ['./not-executable.sh'] }));
    expect(denied.status).toBe('error');
    expect(denied.summary).toContain('"./not-executable.sh"');
    expect(denied.summary).toContain('EACCES');
  });

  it('kills the whole process group on timeout, children included', async () => {
    const outcome = await runner().run(request({ argv: ['sh', '-c', 'sleep 30 & echo $!; wait'], timeout: '1s' }));
    expect(outcome).toMatchObject({ status: 'error', exitCode: null });
    expect(outcome.summary).toMatch(/^timed out after 1s/);
    const sleeper = Number(outcome.stdout?.trim());
    expect(sleeper).toBeGreaterThan(0);
    expect(await dies(sleeper)).toBe(true);
  }, 5_000);

  it('kills a group whose leader ignores SIGTERM, after the grace', async () => {
    const outcome = await runner().run(request({ argv: ['sh', '-c', "trap '' TERM; sleep 30 & echo $!; wait; wait"], timeout: '500ms' }));
    expect(outcome.summary).toMatch(/^timed out after 500ms/);
    expect(outcome.details?.['durationMs']).toBeGreaterThanOrEqual(2_000);
    expect(await dies(Number(outcome.stdout?.trim()))).toBe(true);
  }, 6_000);

  it('kills what the command left running once it has exited', async () => {
    const outcome = await runner().run(request({ argv: ['sh', '-c', 'sleep 30 & echo $!'] }));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(await dies(Number(outcome.stdout?.trim()))).toBe(true);
  }, 5_000);

  it('stops and kills the group when its signal aborts mid-run', async () => {
    const controller = new AbortController();
    const pending = runner().run(request({ argv: ['sh', '-c', 'sleep 30 & echo $!; wait'] }, controller.signal));
    setTimeout(() => controller.abort(new Error('lease lost')), 300);
    const outcome = await pending;
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toContain('lease lost');
    expect(await dies(Number(outcome.stdout?.trim()))).toBe(true);
  }, 5_000);

  it('keeps only the end of a flood of output, marking the cut', async () => {
    const outcome = await runner().run(request({ argv: ['yes', 'y'], timeout: '1s', maxOutput: 1024 }));
    expect(outcome.status).toBe('error');
    const stdout = outcome.stdout ?? '';
    const marker = /^…\[cut (\d+) bytes\]\n/.exec(stdout);
    expect(marker).not.toBeNull();
    expect(Number(marker?.[1])).toBeGreaterThan(1024);
    expect(Buffer.byteLength(stdout.slice(marker?.[0].length))).toBeLessThanOrEqual(1024);
    expect(stdout.slice(marker?.[0].length)).toMatch(/^(y\n)*y?\n?$/);
  }, 5_000);

  it('stops a command that floods past floodLimit and makes its cell an error, even when it would exit 0', async () => {
    const script = "const line = 'x'.repeat(1023) + '\\n'; let n = 0; (function write() { while (n < 4096) { n++; if (!process.stdout.write(line)) return process.stdout.once('drain', write); } })()";
    const outcome = await runner().run(request({ argv: [node, '-e', script], timeout: '20s', maxOutput: 1024, floodLimit: 1024 * 1024 }));
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toMatch(/^flooded its output: more than 1048576 bytes/);
    expect(Buffer.byteLength(outcome.stdout ?? '')).toBeLessThan(1024 + 64);
    // Under the limit the same kind of command passes with its tail kept.
    const small = await runner().run(request({ argv: [node, '-e', "process.stdout.write('y\\n'.repeat(5000))"], maxOutput: 1024, floodLimit: 1024 * 1024 }));
    expect(small.status).toBe('pass');
  }, 30_000);

  it('passes only PATH, HOME, passEnv and env to the command', async () => {
    const outcome = await runner().run(request({ argv: [node, '-e', 'console.log(JSON.stringify(process.env))'], passEnv: ['STAGING_URL', 'UNSET_NAME'], env: { SUITE: 'compat' } }));
    expect(outcome.status).toBe('pass');
    expect(JSON.parse(outcome.stdout ?? '')).toEqual({ PATH: hostEnv.PATH, HOME: '/home/uf-test', STAGING_URL: 'http://127.0.0.1:1', SUITE: 'compat' });
  });

  it('runs in cwd resolved against the config folder, and names a missing cwd', async () => {
    const outcome = await runner().run(request({ argv: [node, '-e', 'console.log(process.cwd())'], cwd: '.' }));
    expect(outcome.stdout?.trim()).toBe(baseDir);
    const missing = await runner().run(request({ argv: [node, '-e', 'null'], cwd: 'services/checkout-gone' }));
    expect(missing.status).toBe('error');
    expect(missing.summary).toBe(`cwd ${join(baseDir, 'services/checkout-gone')} does not exist`);
  });

  it('reports a command killed by a signal as an error', async () => {
    const outcome = await runner().run(request({ argv: ['sh', '-c', 'kill -9 $$'] }));
    expect(outcome).toMatchObject({ status: 'error', exitCode: null, summary: 'killed by SIGKILL' });
  });
});
