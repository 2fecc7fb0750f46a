import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { openStore } from '../../src/store/open.js';
import { runUf } from '../helpers/cli.js';
import { upgradeInCompat } from '../helpers/upgrades.js';

/**
 * `uf compat run|show|waive` and `uf worker --once` as a user runs them, on a SQLite store, with
 * real command checks: a fail-fast `auth` check that fails on one service stops the other checks,
 * and the gate stays closed until the failure is waived with a role and a reason.
 */
describe('uf compat and uf worker (CLI, SQLite)', () => {
  let dir: string;
  let upgradeId: string;
  let second: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-compat-cli-'));
    const node = JSON.stringify(process.execPath);
    writeFileSync(
      join(dir, 'factory.yaml'),
      `version: 1
compat:
  checks:
    - id: login
      kind: command
      tags: [auth]
      argv: [${node}, -e, "if (process.argv[1] === 'search') { console.error('login returned 500 for {{service}}'); process.exit(3) }", "{{service}}"]
    - id: smoke
      kind: command
      argv: [${node}, -e, "console.log('ok {{service}} on {{toVersion}}')"]
    - id: hangs
      kind: command
      required: false
      timeout: 1s
      argv: [${node}, -e, "setTimeout(() => {}, 60000)"]
    - id: missing-tool
      kind: command
      required: false
      argv: [no-such-program-uf-test]
`,
    );
    const store = await openStore({ sqlitePath: join(dir, '.uf/factory.db') });
    const clock = fixedClock('2026-12-01T10:00:00Z');
    upgradeId = await upgradeInCompat(store, { clock, name: 'auth-lib', services: ['checkout', 'search'] });
    second = await upgradeInCompat(store, { clock, name: 'util-lib', services: ['checkout'] });
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the matrix in-process, stops at a failed fail-fast check, and opens the gate after a waiver', async () => {
    const run = await runUf(['compat', 'run', upgradeId], { cwd: dir });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('checkout × login: pass');
    expect(run.stdout).toMatch(/search × login: fail \(\d+ ms exit 3\) exit 3: login returned 500 for search/);
    expect(run.stdout).toContain('the compat gate stays closed on:');
    expect(run.stdout).toMatch(/checkout × smoke: skipped: not run: fail-fast check login failed on search/);

    const shown = await runUf(['compat', 'show', upgradeId, '--json'], { cwd: dir });
    expect(shown.code).toBe(1);
    const view = JSON.parse(shown.stdout);
    expect(view.verdict).toBe('fail');
    expect(view.counts).toMatchObject({ pass: 1, fail: 1, skipped: 6 });
    expect(view.cells.search.login.cell.evidence.stderr).toContain('login returned 500 for search');

    const refused = await runUf(['compat', 'waive', upgradeId, 'search', 'login', '--role', 'viewer', '--reason', 'it is flaky, really'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/role viewer may not waive/);
    for (const [consumer, check] of [['search', 'login'], ['checkout', 'smoke'], ['search', 'smoke']]) {
      const waived = await runUf(['compat', 'waive', upgradeId, consumer!, check!, '--role', 'security', '--reason', 'search login is served by the old version until its own upgrade'], {
        cwd: dir,
        env: { UF_ACTOR: 'user:sec' },
      });
      expect(waived.code, waived.stderr).toBe(0);
    }
    const after = await runUf(['compat', 'show', upgradeId], { cwd: dir });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('verdict: pass');
    expect(after.stdout).toContain('by user:sec as security');
  }, 60_000);

  it('queues for workers elsewhere, and uf worker --once fills the matrix, with hangs and missing programs as error cells', async () => {
    const queued = await runUf(['compat', 'run', second, '--queue-only', '--no-follow'], { cwd: dir });
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stdout).toMatch(/4 cells queued/);
    const worker = await runUf(['worker', '--once', '--concurrency', '2'], { cwd: dir, env: { UF_LOG_LEVEL: 'warn' } });
    expect(worker.code, worker.stderr).toBe(0);
    const shown = await runUf(['compat', 'show', second, '--json'], { cwd: dir });
    const view = JSON.parse(shown.stdout);
    expect(view.verdict).toBe('pass');
    expect(view.cells.checkout.smoke.cell.evidence.stdout).toContain('ok checkout on 1.1.0');
    expect(view.cells.checkout.hangs).toMatchObject({ status: 'error' });
    expect(view.cells.checkout.hangs.cell.summary).toMatch(/timed out/);
    expect(view.cells.checkout['missing-tool']).toMatchObject({ status: 'error' });
    expect(view.cells.checkout['missing-tool'].cell.summary).toContain('no-such-program-uf-test');
  }, 60_000);
});
