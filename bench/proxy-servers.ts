/**
 * The servers `npm run bench:proxy` compares, each one process with one thread of work, on
 * loopback, with its files in a temp directory that `stopAll` removes: the upstream (nginx), the
 * built-in router (`uf proxy`, the real command), nginx as a reverse proxy, HAProxy and
 * node-http-proxy.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routerNodeFlags } from '../src/proxy/heap.js';
import { renderHaproxyConfig } from '../src/traffic/routers/haproxy/config.js';
import { findBinary } from '../test/traffic/support/binaries.js';
import { freePort } from '../test/helpers/ports.js';
import { startServer, type RunningServer } from '../test/traffic/support/process.js';

export interface BenchServer {
  name: string;
  url: string;
  server: RunningServer;
}

/** The package root, so that the bench runs the same from any working directory. */
export const projectRoot = join(import.meta.dirname, '..');
/** Node flags that load TypeScript files in a child process, wherever its working directory is. */
export const loadTypeScript = ['--import', import.meta.resolve('tsx')];

const running: RunningServer[] = [];
const directories: string[] = [];
/** Load generators in progress, stopped with the servers when the run is cut short. */
const tools = new Set<ChildProcess>();

/** Runs a load generator to the end (or `timeoutMs`) and returns its standard output. */
export function runTool(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      tools.delete(child);
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
    tools.add(child);
  });
}

function killTools(): void {
  for (const child of tools) child.kill('SIGKILL');
  tools.clear();
}

/** A temp directory that `stopAll` (or `killAllNow`) removes. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  directories.push(dir);
  return dir;
}

let stopping: Promise<void> | undefined;

/** Stops every load generator and server started here and removes their directories; once. */
export function stopAll(): Promise<void> {
  stopping ??= (async () => {
    killTools();
    await Promise.all(running.map((server) => server.stop().catch(() => undefined)));
    running.length = 0;
    for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
  })();
  return stopping;
}

/** Last resort on an abrupt exit: no waiting is possible, so SIGKILL what is left. */
export function killAllNow(): void {
  killTools();
  for (const server of running.splice(0)) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * CPU time (user + system, all threads) a process has used so far, from /proc; undefined where
 * there is no /proc. Clock ticks are 1/100 s on Linux (USER_HZ), which a run of seconds dwarfs.
 */
function cpuSecondsOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU time of a process and all its descendants (a router's worker processes), from /proc. */
export function cpuSecondsOfTree(pid: number): number | undefined {
  const own = cpuSecondsOf(pid);
  if (own === undefined) return undefined;
  let total = own;
  for (const child of childrenOf(pid)) total += cpuSecondsOfTree(child) ?? 0;
  return total;
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .split(' ')
        .filter((text) => text.trim() !== '')
        .map(Number),
    );
  } catch {
    return [];
  }
}

/** Whether `url` answers a GET of / with 200 and the upstream's body `ok` (so a proxy really forwards). */
function answersOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const call = request(`${url}/`, { agent: false, timeout: 1000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(response.statusCode === 200 && body === 'ok'));
    });
    call.on('timeout', () => call.destroy());
    call.on('error', () => resolve(false));
    call.end();
  });
}

/**
 * Cores to pin each role to with `taskset -c` (set by bench/proxy.ts when the machine has a core
 * for each); unpinned when absent.
 */
export const pinning: { proxy?: string; upstream?: string; load?: string } = {};

/**
 * `command args` run under `taskset -c CORES` when the role is pinned (taskset execs: same pid;
 * a router's worker processes inherit the cores). `cores` overrides the role's, e.g. `0-3`.
 */
export function pinned(role: keyof typeof pinning, command: string, args: string[], cores = pinning[role]): [string, string[]] {
  return cores === undefined ? [command, args] : ['taskset', ['-c', cores, command, ...args]];
}

async function start(name: string, command: string, args: string[], url: string, role: 'proxy' | 'upstream' = 'proxy', cores?: string): Promise<BenchServer> {
  const [pinnedCommand, pinnedArgs] = pinned(role, command, args, cores ?? pinning[role]);
  const server = await startServer(pinnedCommand, pinnedArgs, () => answersOk(url));
  running.push(server);
  return { name, url, server };
}

function binary(name: string): string {
  const path = findBinary(name);
  if (path === undefined) throw new Error(`${name} is not installed (apt-get install ${name})`);
  return path;
}

/**
 * nginx in one process (`master_process off`: no master, the single process serves), everything
 * under its prefix. Keep-alive limits are lifted so that neither side reconnects every 1,000
 * requests (nginx's default), which would add connects to some targets and not to others.
 */
function nginxConfig(dir: string, http: string[]): string {
  return [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '    access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${join(dir, kind)};`),
    '    keepalive_requests 1000000;',
    '    keepalive_timeout 120s;',
    ...http.map((line) => `    ${line}`),
    '}',
    '',
  ].join('\n');
}

async function startNginx(name: string, http: (port: number) => string[], role: 'proxy' | 'upstream' = 'proxy'): Promise<BenchServer> {
  const dir = tempDir('uf-bench-nginx-');
  const port = await freePort();
  const config = join(dir, 'nginx.conf');
  writeFileSync(config, nginxConfig(dir, http(port)));
  return start(name, binary('nginx'), ['-p', dir, '-e', join(dir, 'error.log'), '-c', config], `http://127.0.0.1:${port}`, role);
}

/**
 * The upstream every target forwards to: nginx answering `ok` from memory. It is the fastest
 * single-process HTTP server at hand (C, no handler code), so it stays far from being the
 * bottleneck; a node upstream would cap the C proxies near its own rate.
 */
export function startUpstream(): Promise<BenchServer> {
  return startNginx('upstream', (port) => [
    'server {',
    `    listen 127.0.0.1:${port} backlog=4096;`,
    '    location / { default_type text/plain; return 200 "ok"; }',
    '}',
  ], 'upstream');
}

/**
 * nginx as a reverse proxy, with what uf's weighted upstream needs (two servers, here the same
 * address, at 50/50) and keep-alive to the upstream. uf's `renderNginxConfig` is not used: it has
 * no upstream keep-alive, and a new upstream connection per request would both slow nginx and
 * exhaust loopback ports within a run.
 */
export function startNginxProxy(upstream: URL): Promise<BenchServer> {
  return startNginx('nginx', (port) => [
    'upstream bench_weighted {',
    `    server ${upstream.host} weight=50;`,
    `    server ${upstream.host} weight=50;`,
    '    keepalive 128;',
    '    keepalive_requests 1000000;',
    '}',
    'server {',
    `    listen 127.0.0.1:${port} backlog=4096;`,
    '    location / {',
    '        proxy_pass http://bench_weighted;',
    '        proxy_http_version 1.1;',
    '        proxy_set_header Connection "";',
    '        proxy_set_header Host $host;',
    '    }',
    '}',
  ]);
}

/** HAProxy with uf's own rendered configuration (stable and canary at 50/50), on one thread. */
export async function startHaproxy(upstream: URL): Promise<BenchServer> {
  const dir = tempDir('uf-bench-haproxy-');
  const port = await freePort();
  const routeMap = join(dir, 'route.map');
  writeFileSync(routeMap, '');
  const rendered = renderHaproxyConfig({
    runtimeApi: join(dir, 'admin.sock'),
    bind: `127.0.0.1:${port}`,
    backend: 'bench',
    servers: { stable: { name: 'stable', address: upstream.host }, canary: { name: 'canary', address: upstream.host } },
    routeMap,
    canary: 50,
  });
  if (!rendered.startsWith('global\n')) throw new Error('renderHaproxyConfig no longer starts with a global section');
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, rendered.replace('global\n', 'global\n    nbthread 1\n    maxconn 4096\n'));
  return start('haproxy', binary('haproxy'), ['-f', config, '-db'], `http://127.0.0.1:${port}`);
}

/**
 * The built-in router as users run it: `node bin/uf.js proxy … --canary-weight 50 --workers N`,
 * from dist/, on `cores` when given. With N = 1 (the default) one worker serves, like every other
 * row's one process; its primary only holds the weights and admin API and idles (CPU figures sum
 * both). The Node-based references below run with the router workers' V8 flags, like with like.
 */
export async function startBuiltIn(upstream: URL, workers = 1, cores?: string): Promise<BenchServer> {
  const port = await freePort();
  const target = upstream.origin;
  const args = [join(projectRoot, 'bin/uf.js'), 'proxy', '--listen', `127.0.0.1:${port}`, '--stable', target, '--canary', target, '--canary-weight', '50', '--workers', String(workers)];
  return start(workers === 1 ? 'uf proxy' : `uf proxy x${workers}`, process.execPath, args, `http://127.0.0.1:${port}`, 'proxy', cores);
}

/** node-http-proxy in its own node process, with a keep-alive agent (see proxy-http-proxy.ts). */
export async function startNodeHttpProxy(upstream: URL): Promise<BenchServer> {
  const port = await freePort();
  const script = join(import.meta.dirname, 'proxy-http-proxy.ts');
  return start('http-proxy', process.execPath, [...routerNodeFlags, ...loadTypeScript, script, String(port), upstream.origin], `http://127.0.0.1:${port}`);
}

/** The minimal Node.js proxy (node:http + one undici pool): the ceiling for any Node proxy (see proxy-node-ceiling.ts). */
export async function startNodeCeiling(upstream: URL): Promise<BenchServer> {
  const port = await freePort();
  const script = join(import.meta.dirname, 'proxy-node-ceiling.ts');
  return start('Node ceiling', process.execPath, [...routerNodeFlags, ...loadTypeScript, script, String(port), upstream.origin], `http://127.0.0.1:${port}`);
}
