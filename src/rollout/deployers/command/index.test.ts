import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandDeployerSettingsSchema, type CommandDeployerSettings } from '../../../config/sections/deployers.js';
import { runDeployerContract } from '../deployer.contract.js';
import type { CommandEvidence, DeployTarget } from '../types.js';
import { createCommandDeployer } from './index.js';

const script = join(import.meta.dirname, 'fixtures', 'fake-deploy.mjs');
const node = process.execPath;
const target: DeployTarget = { service: 'checkout', upgrade: 'upg_1', attempt: 1, fromVersion: '1.0.0', toVersion: '2.0.0' };
const stateDirs: string[] = [];
const fastHealth = { timeoutMs: 3_000, intervalMs: 50, requestTimeoutMs: 1_000 };

/** Settings whose commands run fake-deploy.mjs with `action` for deploys, in a fresh state folder. */
function settings(action: string, extra: Partial<Record<keyof CommandDeployerSettings, unknown>> = {}): CommandDeployerSettings {
  const dir = mkdtempSync(join(tmpdir(), 'uf-deployer-'));
  stateDirs.push(dir);
  return commandDeployerSettingsSchema.parse({
    service: 'checkout',
    deployCanary: [node, script, action, dir, '{{variant}}', '{{version}}'],
    promote: [node, script, 'promote', dir, '{{variant}}', '{{version}}'],
    removeCanary: [node, script, 'remove', dir, 'canary', '{{version}}'],
    deployBaseline: [node, script, action, dir, '{{variant}}', '{{version}}'],
    removeBaseline: [node, script, 'remove', dir, 'baseline', '{{version}}'],
    health: fastHealth,
    ...extra,
  });
}

const deps = { env: process.env, baseDir: process.cwd() };

/** Stops the fake servers the tests started (their pids are in the state folders) and deletes the folders. */
async function cleanUp(): Promise<void> {
  for (const dir of stateDirs.splice(0)) {
    for (const variant of ['canary', 'baseline']) {
      const file = join(dir, `${variant}.json`);
      if (!existsSync(file)) continue;
      const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
      if (isAlive(pid)) process.kill(pid);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

runDeployerContract({
  name: 'command',
  async setup() {
    return {
      deployer: createCommandDeployer(settings('deploy'), deps),
      failing: createCommandDeployer(settings('fail'), deps),
      slow: { deployer: createCommandDeployer(settings('hang', { timeoutMs: 800 }), deps), timeoutMs: 800 },
      target,
      teardown: cleanUp,
    };
  },
});

describe('command deployer', () => {
  afterAll(cleanUp, 30_000);

  it('reads the digest and URL from declared stdout lines, and fills placeholders per argv element', async () => {
    const deployer = createCommandDeployer(settings('deploy'), deps);
    const result = await deployer.deployCanary(target);
    expect(result.ok).toBe(true);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const evidence = result.evidence as CommandEvidence;
    expect(evidence.argv.slice(2)).toEqual(['deploy', evidence.argv[3], 'canary', '2.0.0']);
    expect(evidence.exitCode).toBe(0);
    expect(evidence.stdout).toContain('deploying canary 2.0.0');
    const baseline = await deployer.deployBaseline(target);
    expect((baseline.evidence as CommandEvidence).argv.slice(4)).toEqual(['baseline', '1.0.0']);
    expect(baseline.digest).not.toBe(result.digest);
    expect((await deployer.removeBaseline(target)).ok).toBe(true);
    expect((await deployer.removeCanary(target)).ok).toBe(true);
  });

  it('reads the report from a JSON last line when output is json', async () => {
    const deployer = createCommandDeployer(settings('json', { output: 'json' }), deps);
    const result = await deployer.deployCanary(target);
    expect(result.ok).toBe(true);
    expect(result.digest).toMatch(/^sha256:/);
    expect(result.url).toMatch(/^http:/);
    await deployer.removeCanary(target);
  });

  it('says why there is no digest when the command reports none', async () => {
    const deployer = createCommandDeployer(settings('deploy', { output: 'json' }), deps);
    const result = await deployer.promote(target);
    expect(result.ok).toBe(true);
    expect(result.digest).toBeNull();
    expect(result.digestNote).toBe('no digest: its last stdout line is not JSON');
  });

  it('fails a non-zero exit with its exit code and stderr as evidence', async () => {
    const result = await createCommandDeployer(settings('fail'), deps).deployCanary(target);
    expect(result).toMatchObject({ ok: false, reason: 'exited with 3', digest: null });
    const evidence = result.evidence as CommandEvidence;
    expect(evidence.exitCode).toBe(3);
    expect(evidence.stderr).toContain('cannot deploy canary 2.0.0: image not found');
    expect(result.health).toBeUndefined();
  });

  it('kills the whole process group on timeout, children included', async () => {
    const result = await createCommandDeployer(settings('hang', { timeoutMs: 500 }), deps).deployCanary(target);
    const evidence = result.evidence as CommandEvidence;
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('timed out after 500 ms; its process group was killed');
    expect(evidence.timedOut).toBe(true);
    const child = Number(/child: (\d+)/.exec(evidence.stdout)?.[1]);
    expect(child).toBeGreaterThan(0);
    await expect.poll(() => isAlive(child), { timeout: 3_000 }).toBe(false);
  });

  it('fails a program that cannot start, with the reason', async () => {
    const deployer = createCommandDeployer(settings('deploy', { deployCanary: ['/nonexistent/uf-deploy-tool', '{{version}}'] }), deps);
    const result = await deployer.deployCanary(target);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/^ENOENT: cannot run "\/nonexistent\/uf-deploy-tool"/);
    expect((result.evidence as CommandEvidence).exitCode).toBeNull();
  });

  it('keeps the end of a long output within the bound, and still reads a digest printed early', async () => {
    const program = "console.log('digest: sha256:' + 'a'.repeat(64)); for (let i = 0; i < 5000; i++) console.log('line ' + i);";
    const deployer = createCommandDeployer(settings('deploy', { promote: [node, '-e', program], maxOutputBytes: 1024 }), deps);
    const result = await deployer.promote(target);
    const evidence = result.evidence as CommandEvidence;
    expect(result.digest).toBe(`sha256:${'a'.repeat(64)}`);
    expect(Buffer.byteLength(evidence.stdout)).toBeLessThanOrEqual(1024);
    expect(evidence.stdout.trimEnd().endsWith('line 4999')).toBe(true);
    expect(evidence.droppedBytes.stdout).toBeGreaterThan(40_000);
  });

  it('passes only PATH, the allow-listed variables and the UF_ ones to the command', async () => {
    const program = 'console.log(JSON.stringify(Object.keys(process.env).sort()))';
    const env = { PATH: process.env['PATH'], ALLOWED: 'yes', SECRET: 'no' };
    const deployer = createCommandDeployer(settings('deploy', { promote: [node, '-e', program], env: ['ALLOWED'] }), { env, baseDir: process.cwd() });
    const result = await deployer.promote(target);
    const keys = JSON.parse((result.evidence as CommandEvidence).stdout) as string[];
    expect(keys.filter((key) => !key.startsWith('UF_'))).toEqual(['ALLOWED', 'PATH']);
    expect(keys).toContain('UF_VERSION');
  });

  it('fails a deploy whose canary never becomes healthy, with the health evidence', async () => {
    const deployer = createCommandDeployer(
      settings('deploy', { deployCanary: [node, '-e', "console.log('url: http://127.0.0.1:9')"], health: { ...fastHealth, timeoutMs: 400 } }),
      deps,
    );
    const result = await deployer.deployCanary(target);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/^the canary failed its health check at http:\/\/127\.0\.0\.1:9\/healthz within 400 ms/);
    expect(result.health?.ok).toBe(false);
    expect(result.health?.attempts).toBeGreaterThan(0);
  });

  it('fails a deploy with no URL to check, rather than send traffic to an unchecked canary', async () => {
    const deployer = createCommandDeployer(settings('deploy', { deployCanary: [node, '-e', "console.log('done')"] }), deps);
    const result = await deployer.deployCanary(target);
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('no health URL for the canary: the deploy reported no URL and health.url is not set');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
