import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatMatrix, startCompatRun } from '../../src/app/compat.js';
import { composeRoot, type AppRoot } from '../../src/app/root.js';
import { loadConfig } from '../../src/config/load.js';
import { systemClock } from '../../src/core/clock.js';
import { openStore, type Store } from '../../src/store/open.js';
import { getUpgrade } from '../../src/store/repos/upgrades.js';
import { ufBin } from '../helpers/cli.js';
import { postgresSkipReason, postgresUrl } from '../helpers/stores.js';
import { upgradeInCompat } from '../helpers/upgrades.js';

/**
 * Two real `uf worker` processes share one PostgreSQL queue; one is killed (SIGKILL) in the middle
 * of a check. Its job is taken over by the other once the lease expires, and exactly one result is
 * stored per cell. Each check appends a line to a marker file when it starts, so the test sees the
 * killed attempt and the retry, and then sleeps long enough to be killed in the middle.
 */
describe.skipIf(postgresUrl === undefined)(`uf worker: a worker killed mid-check on PostgreSQL${postgresUrl === undefined ? ` (skipped: ${postgresSkipReason})` : ''}`, () => {
  const schema = `uf_test_kill_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let dir: string;
  let marks: string;
  let store: Store;
  let root: AppRoot;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-kill-'));
    marks = join(dir, 'marks');
    mkdirSync(marks);
    writeFileSync(
      join(dir, 'factory.yaml'),
      `version: 1
compat:
  leaseTtl: 2s
  checks:
    - id: smoke
      kind: command
      argv: [sh, -c, 'echo "$$" >> "$MARKS/{{service}}"; sleep 3']
      env: { MARKS: ${JSON.stringify(marks)} }
      timeout: 30s
`,
    );
    store = await openStore({ url: postgresUrl!, schema });
    const parts = composeRoot(loadConfig(join(dir, 'factory.yaml')), { logger: pino({ level: 'silent' }) });
    root = { ...parts, store, close: () => parts.adapters.close() };
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await store?.close();
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  });

  function startWorker(): ChildProcess {
    const url = new URL(postgresUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const child = spawn(process.execPath, [ufBin, 'worker', '--concurrency', '1'], {
      cwd: dir,
      env: { ...process.env, UF_DATABASE_URL: url.toString(), UF_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers.push(child);
    return child;
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, limitMs: number): Promise<T> {
    const deadline = performance.now() + limitMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('retries the killed worker’s job elsewhere after its lease expires and stores exactly one result per cell', async () => {
    const services = ['s1', 's2', 's3', 's4'];
    const id = await upgradeInCompat(store, { clock: systemClock, name: 'kill-lib', services });
    const { run } = await startCompatRun(root, id, 'user:test');
    const victim = startWorker();
    const survivor = startWorker();
    let survivorLog = '';
    survivor.stderr!.on('data', (chunk: Buffer) => (survivorLog += chunk.toString()));

    // Wait until the victim runs a check (its pid is in the lease holder), then kill it mid-check.
    const held = await until(
      'the first worker to take a job',
      async () => {
        const row = await store.db.selectFrom('compat_jobs').select(['id', 'consumer_id', 'holder']).where('status', '=', 'running').where('holder', 'like', `%:${victim.pid}:%`).executeTakeFirst();
        return row ?? undefined;
      },
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    victim.kill('SIGKILL');

    const finished = await until(
      'the run to finish',
      async () => {
        const view = await compatMatrix(root, id);
        return view.runStatus === 'complete' ? view : undefined;
      },
      90_000,
    );
    expect(finished.verdict, survivorLog).toBe('pass');
    const cells = await store.db.selectFrom('compat_cells').selectAll().where('run_id', '=', run.id).execute();
    expect(cells).toHaveLength(services.length);
    const taken = cells.find((cell) => cell.consumer_id === held.consumer_id)!;
    expect(taken.status).toBe('pass');
    expect(taken.attempts).toBe(2);
    expect(taken.worker).toContain(`:${survivor.pid}:`);
    // The killed attempt started the check once, the retry once more; every other cell ran once.
    const starts = Object.fromEntries(readdirSync(marks).map((name) => [name, readFileSync(join(marks, name), 'utf8').trim().split('\n').length]));
    expect(starts[held.consumer_id]).toBe(2);
    expect(Object.values(starts).reduce((a, b) => a + b, 0)).toBe(services.length + 1);
    // The surviving worker recorded the verdict on the upgrade: the compat gate is open.
    const upgrade = await until('the verdict on the upgrade', async () => {
      const u = await getUpgrade(store.db, id);
      return u?.evidence.some((e) => e.kind === 'compat_matrix') ? u : undefined;
    }, 10_000);
    expect(upgrade.evidence.filter((e) => e.kind === 'compat_matrix').map((e) => [e.outcome, e.ref])).toEqual([['pass', `compat:${run.id}`]]);

    const exited = new Promise<number | null>((resolve) => survivor.on('exit', (code) => resolve(code)));
    survivor.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 150_000);
});
