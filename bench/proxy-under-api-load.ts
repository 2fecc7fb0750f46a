/**
 * npm run bench:proxy-api-load — does a busy API slow the traffic `uf serve` routes? The built-in
 * routers of `uf serve` (traffic.proxies) run in a worker thread of their own; this measures the
 * proxied p99 with the API idle (the reference) and with the API under heavy load, in the same
 * run, and prints both and their ratio.
 *
 * Set-up, all on loopback: the sample service as the upstream, in a process of its own; `uf serve` (dist/)
 * with one router at 50 % canary in front of it and an operation log of UF_BENCH_LOG_ENTRIES
 * entries (50,000); proxied traffic from the open-loop generator (proxy-open-loop.ts, its own
 * process) at UF_BENCH_RATE req/s (200) for UF_BENCH_SECONDS (5) per run. API load: UF_BENCH_API_LANES
 * (8) clients in this process calling `GET /api/v1/log/verify` (hashes the whole log) and
 * `GET /api/v1/log?limit=1000` back to back. UF_BENCH_ROUNDS (3) idle/loaded pairs, interleaved;
 * medians reported. It measures dist/: run `npm run build` after changes.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appendLog } from '../src/store/repos/operation-log.js';
import { openStore } from '../src/store/open.js';
import { freePort } from '../test/helpers/ports.js';
import { openLoopReportSchema, type OpenLoopReport } from './proxy-open-loop-report.js';
import { killAllNow, loadTypeScript, projectRoot, runTool, stopAll, tempDir } from './proxy-servers.js';
import { setting } from './settings.js';

const run = promisify(execFile);


const logEntries = setting('UF_BENCH_LOG_ENTRIES', 50_000);
const rate = setting('UF_BENCH_RATE', 200);
const seconds = setting('UF_BENCH_SECONDS', 5);
const apiLanes = setting('UF_BENCH_API_LANES', 8);
const rounds = setting('UF_BENCH_ROUNDS', 3);
const ufBin = join(projectRoot, 'bin/uf.js');
const openLoopScript = join(import.meta.dirname, 'proxy-open-loop.ts');

async function seedLog(dir: string): Promise<void> {
  mkdirSync(join(dir, '.uf'), { recursive: true });
  const store = await openStore({ sqlitePath: join(dir, '.uf/factory.db') });
  try {
    for (let i = 0; i < logEntries; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, logEntries - i) }, (_, k) => ({ actor: 'user:bench', action: 'evidence.analysis', subject: `upg_${(i + k) % 97}`, reason: `p95 ${100 + ((i + k) % 50)} ms within 250 ms`, evidenceRef: `ev_${i + k}` }));
      await store.db.transaction().execute((trx) => appendLog(trx, batch, store.clock.now()));
    }
  } finally {
    await store.close();
  }
}

/** The sample service in its own process, so that neither the bench nor uf serve carries its work. */
function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  const script = join(projectRoot, 'test/proxy/fixtures/sample-child.ts');
  const child = spawn(process.execPath, [...loadTypeScript, script, JSON.stringify({ version: 'bench' })], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve({ child, url: text.trim() });
    });
    child.on('exit', (code) => reject(new Error(`upstream exited with ${code}`)));
  });
}

function startServe(dir: string): Promise<{ child: ChildProcess; api: string }> {
  const child = spawn(process.execPath, [ufBin, 'serve', '--port', '0', '--no-intake'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, UF_DATABASE_URL: '', UF_LOG_LEVEL: 'info' } });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) if (line.includes('"upgrade factory serving"')) resolve({ child, api: (JSON.parse(line) as { address: string }).address });
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    child.on('exit', (code) => reject(new Error(`uf serve exited with ${code}`)));
  });
}

/** Heavy API calls, `apiLanes` at a time, until `stop` resolves; how many and how long they took. */
async function loadApi(api: string, secret: string, stop: Promise<void>): Promise<{ calls: number; meanMs: number; failures: number }> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  let calls = 0;
  let failures = 0;
  let totalMs = 0;
  const paths = ['/api/v1/log/verify', `/api/v1/log?after=${logEntries - 1000}&limit=1000`];
  await Promise.all(
    Array.from({ length: apiLanes }, async (_, lane) => {
      for (let i = lane; !stopped; i++) {
        const started = performance.now();
        try {
          const response = await fetch(`${api}${paths[i % paths.length]!}`, { headers: { authorization: `Bearer ${secret}` } });
          await response.arrayBuffer();
          if (!response.ok) failures++;
        } catch {
          failures++;
        }
        totalMs += performance.now() - started;
        calls++;
      }
    }),
  );
  return { calls, meanMs: calls === 0 ? 0 : totalMs / calls, failures };
}

async function proxied(url: string): Promise<OpenLoopReport> {
  const stdout = await runTool(process.execPath, [...loadTypeScript, openLoopScript, url, String(rate), String(seconds), '1', '16', '1'], (seconds + 60) * 1000);
  return openLoopReportSchema.parse(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const dir = tempDir('uf-bench-api-load-');
  const upstream = await startUpstream();
  const routerPort = await freePort();
  writeFileSync(join(dir, 'factory.yaml'), ['version: 1', 'traffic:', '  proxies:', `    - { service: bench, listen: "127.0.0.1:${routerPort}", stable: "${upstream.url}", canary: "${upstream.url}", canaryWeight: 50 }`, ''].join('\n'));
  const { stdout } = await run(process.execPath, [ufBin, 'token', 'create', '--role', 'viewer', '--json'], { cwd: dir, env: { ...process.env, UF_DATABASE_URL: '' } });
  const { secret } = JSON.parse(stdout) as { secret: string };
  process.stdout.write(`seeding ${logEntries} log entries…\n`);
  await seedLog(dir);
  const serve = await startServe(dir);
  const router = `http://127.0.0.1:${routerPort}`;
  try {
    const idle: OpenLoopReport[] = [];
    const loaded: OpenLoopReport[] = [];
    const apiLoad: Array<{ calls: number; meanMs: number; failures: number }> = [];
    for (let round = 0; round < rounds; round++) {
      idle.push(await proxied(router));
      let stop!: () => void;
      const stopping = new Promise<void>((resolve) => (stop = resolve));
      const load = loadApi(serve.api, secret, stopping);
      // Let the API load build up before measuring.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      loaded.push(await proxied(router));
      stop();
      apiLoad.push(await load);
      process.stdout.write(`round ${round + 1}: proxied p99 idle ${idle.at(-1)!.p99Ms.toFixed(2)} ms, under API load ${loaded.at(-1)!.p99Ms.toFixed(2)} ms (API: ${apiLoad.at(-1)!.calls} calls, mean ${apiLoad.at(-1)!.meanMs.toFixed(0)} ms)\n`);
    }
    const idleP99 = median(idle.map((r) => r.p99Ms));
    const loadedP99 = median(loaded.map((r) => r.p99Ms));
    const errors = [...idle, ...loaded].reduce((sum, r) => sum + r.errors + r.unfinished, 0);
    process.stdout.write(
      [
        '',
        `proxied traffic through uf serve's built-in router (worker thread), ${rate} req/s open loop, ${seconds} s runs, median of ${rounds}:`,
        `  API idle (reference)   p50 ${median(idle.map((r) => r.p50Ms)).toFixed(2)} ms  p99 ${idleP99.toFixed(2)} ms  max ${median(idle.map((r) => r.maxMs)).toFixed(1)} ms`,
        `  API under heavy load   p50 ${median(loaded.map((r) => r.p50Ms)).toFixed(2)} ms  p99 ${loadedP99.toFixed(2)} ms  max ${median(loaded.map((r) => r.maxMs)).toFixed(1)} ms`,
        `  ratio (loaded / idle p99): ${(loadedP99 / idleP99).toFixed(2)}`,
        `  API load: ${apiLanes} clients, median ${median(apiLoad.map((a) => a.calls))} calls per run, mean ${median(apiLoad.map((a) => a.meanMs)).toFixed(0)} ms per call, ${apiLoad.reduce((s, a) => s + a.failures, 0)} failed`,
        `  proxied errors or unanswered: ${errors}`,
        `  machine: ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)} at the end${loadavg()[0]! > availableParallelism() ? ' (busier than its cores: the figures are noise-dominated, run again on a quiet machine)' : ''}`,
        '',
      ].join('\n'),
    );
  } finally {
    serve.child.kill('SIGTERM');
    await new Promise((resolve) => serve.child.once('exit', resolve));
    upstream.child.kill('SIGTERM');
  }
}

process.once('SIGINT', () => {
  killAllNow();
  process.exit(130);
});
try {
  await main();
} finally {
  await stopAll();
}
