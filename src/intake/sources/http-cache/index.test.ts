import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../advisory-source.contract.js';
import { fetchToCache, localCopy } from './index.js';

let server: TestServer;
let answer: { status: number; body?: string; etag?: string } = { status: 200, body: 'one', etag: '"1"' };
const work = await mkdtemp(path.join(tmpdir(), 'uf-http-cache-'));

beforeAll(async () => {
  server = await startServer((request, response) => {
    if (answer.etag !== undefined && request.headers['if-none-match'] === answer.etag) return void response.writeHead(304).end();
    response.writeHead(answer.status, answer.etag === undefined ? {} : { etag: answer.etag }).end(answer.body);
  });
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('fetchToCache', () => {
  it('keeps one record and one body per URL, and the body whole', async () => {
    const cacheDir = path.join(work, 'a');
    answer = { status: 200, body: 'first body', etag: '"1"' };
    const first = await fetchToCache(`${server.url}/doc`, { cacheDir });
    expect(first).toMatchObject({ status: 'fetched', etag: '"1"' });
    expect(await readFile(first.path, 'utf8')).toBe('first body');
    answer = { status: 200, body: 'second body', etag: '"2"' };
    const second = await fetchToCache(`${server.url}/doc`, { cacheDir });
    expect(await readFile(second.path, 'utf8')).toBe('second body');
    expect((await readdir(cacheDir)).sort()).toHaveLength(2);
  });

  it('ignores a damaged or tampered record and fetches unconditionally', async () => {
    const cacheDir = path.join(work, 'b');
    answer = { status: 200, body: 'content', etag: '"t"' };
    await fetchToCache(`${server.url}/t`, { cacheDir });
    const record = (await readdir(cacheDir)).find((name) => name.endsWith('.json')) ?? '';
    const meta = JSON.parse(await readFile(path.join(cacheDir, record), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(cacheDir, record), JSON.stringify({ ...meta, body: '../../etc/passwd' }));
    const again = await fetchToCache(`${server.url}/t`, { cacheDir });
    expect(again.status).toBe('fetched');
    expect(server.requests.at(-1)?.headers['if-none-match']).toBeUndefined();
  });

  it('refuses a 304 it did not ask for', async () => {
    answer = { status: 304 };
    await expect(fetchToCache(`${server.url}/unasked`, { cacheDir: path.join(work, 'c') })).rejects.toMatchObject({
      code: 'source_unavailable',
      message: 'the server answered 304 Not Modified, but nothing is cached',
    });
  });

  it('maps 401 and 403 to unauthorized and forbidden', async () => {
    answer = { status: 401 };
    await expect(fetchToCache(`${server.url}/secret`, { cacheDir: path.join(work, 'd') })).rejects.toMatchObject({ code: 'unauthorized' });
    answer = { status: 403 };
    await expect(fetchToCache(`${server.url}/secret`, { cacheDir: path.join(work, 'd') })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('localCopy', () => {
  it('passes paths and file: URLs through, and needs a cache directory for http', async () => {
    expect(await localCopy('/data/kev.json')).toEqual({ file: '/data/kev.json', label: '/data/kev.json' });
    expect((await localCopy(pathToFileURL('/data/kev.json'))).file).toBe('/data/kev.json');
    await expect(localCopy(`${server.url}/kev.json`)).rejects.toMatchObject({ code: 'usage' });
  });
});
