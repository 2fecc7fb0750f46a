/**
 * Which upstream client should the built-in proxy use: node's keep-alive http.Agent or undici?
 * Run: `npm run bench:proxy-pool [-- seconds-per-run]`. The upstream and the load
 * generator run in child processes; each proxy variant runs in this process, in alternating rounds
 * so that a noisy machine hurts all of them alike. Prints requests per second per variant, and for
 * comparison the full built-in proxy (`startProxy`, with routing, header rewriting and metrics).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { Pool } from 'undici';
import { startProxy } from '../src/proxy/server.js';

const seconds = Number(process.argv[2] ?? '3');
const concurrency = 32;

const upstreamCode = `
const http = require('node:http');
const body = JSON.stringify({ version: 'v1', path: '/bench', padding: 'x'.repeat(64) });
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

const loadCode = `
const { Pool } = require(process.argv[1] + '/node_modules/undici');
const [, , url, concurrency, seconds] = process.argv;
const pool = new Pool(url, { connections: Number(concurrency) });
let done = 0, failed = 0;
const stopAt = Date.now() + Number(seconds) * 1000;
async function worker() {
  while (Date.now() < stopAt) {
    try { const r = await pool.request({ path: '/bench', method: 'GET' }); await r.body.dump(); if (r.statusCode === 200) done++; else failed++; }
    catch { failed++; }
  }
}
Promise.all(Array.from({ length: Number(concurrency) }, worker)).then(async () => {
  console.log(JSON.stringify({ rps: done / Number(seconds), failed })); await pool.close();
});
`;

type Handler = ((req: http.IncomingMessage, res: http.ServerResponse) => void) & { close?: () => Promise<unknown> };

function agentProxy(port: number): Handler {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const handler: Handler = (req, res) => {
    const up = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { host: `127.0.0.1:${port}` }, agent }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      pipeline(upRes, res, () => undefined);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  };
  handler.close = async () => agent.destroy();
  return handler;
}

function undiciRequestProxy(port: number): Handler {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 256 });
  const handler: Handler = (req, res) => {
    pool.request({ path: req.url ?? '/', method: 'GET', headers: { host: `127.0.0.1:${port}` } }).then(
      (up) => {
        res.writeHead(up.statusCode, up.headers as http.OutgoingHttpHeaders);
        pipeline(up.body, res, () => undefined);
      },
      () => res.destroy(),
    );
  };
  handler.close = () => pool.destroy();
  return handler;
}

function undiciDispatchProxy(port: number): Handler {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 256 });
  const handler: Handler = (req, res) => {
    pool.dispatch(
      { origin: `http://127.0.0.1:${port}`, path: req.url ?? '/', method: 'GET', headers: { host: `127.0.0.1:${port}` } },
      {
        onRequestStart() {},
        onResponseStart(_controller, statusCode, headers) {
          res.writeHead(statusCode, headers as http.OutgoingHttpHeaders);
        },
        onResponseData(controller, chunk) {
          if (!res.write(chunk)) {
            controller.pause();
            res.once('drain', () => controller.resume());
          }
        },
        onResponseEnd() {
          res.end();
        },
        onResponseError() {
          res.destroy();
        },
      },
    );
  };
  handler.close = () => pool.destroy();
  return handler;
}

function startChild(code: string, args: string[]): { child: ChildProcess; firstLine: Promise<string> } {
  const child = spawn(process.execPath, ['-e', code, process.cwd(), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = new Promise<string>((resolve) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
  });
  return { child, firstLine };
}

async function measure(name: string, handler: Handler | 'uf'): Promise<number> {
  let url: string;
  let stop: () => Promise<unknown>;
  if (handler === 'uf') {
    // The real thing, with header rewriting, routing and measurements, at canary weight 0.
    const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, stable: `http://127.0.0.1:${port}`, canary: `http://127.0.0.1:${port}` });
    url = proxy.url;
    stop = () => proxy.close();
  } else {
    const server = http.createServer(handler);
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stop = async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await handler.close?.();
    };
  }
  const load = startChild(loadCode, [url, String(concurrency), String(seconds)]);
  const result = JSON.parse(await load.firstLine) as { rps: number; failed: number };
  await stop();
  console.log(`${name.padEnd(16)} ${result.rps.toFixed(0).padStart(7)} req/s  (${result.failed} failed)`);
  return result.rps;
}

const upstream = startChild(upstreamCode, []);
const port = Number(await upstream.firstLine);
const variants: Record<string, (port: number) => Handler | 'uf'> = {
  'http.Agent': agentProxy,
  'undici.request': undiciRequestProxy,
  'undici.dispatch': undiciDispatchProxy,
  'uf startProxy': () => 'uf',
};
const totals: Record<string, number[]> = {};
for (let round = 0; round < 3; round++) {
  for (const [name, make] of Object.entries(variants)) (totals[name] ??= []).push(await measure(name, make(port)));
}
for (const [name, runs] of Object.entries(totals)) {
  const sorted = [...runs].sort((a, b) => a - b);
  console.log(`median ${name.padEnd(16)} ${(sorted[1] ?? 0).toFixed(0)} req/s`);
}
upstream.child.kill();
process.exit(0);
