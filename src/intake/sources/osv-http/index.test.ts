import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advisoriesOf,
  collect,
  errorsOf,
  runAdvisorySourceContract,
  startServer,
  writeZip,
  type TestServer,
} from '../advisory-source.contract.js';
import { sharedData } from '../../../../test/helpers/shared-data.js';
import { OsvHttpSource } from './index.js';

interface Route {
  body?: Buffer;
  etag?: string;
  lastModified?: string;
  status?: number;
  /** Never answer: for timeouts and aborts. */
  hang?: boolean;
}

const realAdvisories = sharedData('osv/advisories');
const routes = new Map<string, Route>();
let server: TestServer;
const work = await mkdtemp(path.join(tmpdir(), 'uf-osv-http-'));

beforeAll(async () => {
  server = await startServer((request, response) => {
    const route = routes.get(request.url ?? '');
    if (route?.hang) return;
    if (!route) return void response.writeHead(404, 'Not Found').end('no such record');
    if (route.status !== undefined) return void response.writeHead(route.status).end('failure');
    const etagMatches = route.etag !== undefined && request.headers['if-none-match'] === route.etag;
    const dateMatches = route.etag === undefined && route.lastModified !== undefined && request.headers['if-modified-since'] === route.lastModified;
    const headers: Record<string, string> = {};
    if (route.etag !== undefined) headers['etag'] = route.etag;
    if (route.lastModified !== undefined) headers['last-modified'] = route.lastModified;
    if (etagMatches || dateMatches) return void response.writeHead(304, headers).end();
    response.writeHead(200, headers).end(route.body);
  });
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

let count = 0;
function serve(route: Route): { url: string; cacheDir: string } {
  count += 1;
  routes.set(`/r${count}`, route);
  return { url: `${server.url}/r${count}`, cacheDir: path.join(work, `cache-${count}`) };
}

const record = (id: string, modified = '2024-01-01T00:00:00Z') => Buffer.from(JSON.stringify({ id, modified }));

runAdvisorySourceContract('osv-http (a JSON array over HTTP)', async (records) => {
  const { url, cacheDir } = serve({ body: Buffer.from(JSON.stringify(records)), etag: '"v1"' });
  return new OsvHttpSource(url, { cacheDir });
});

describe('osv-http conditional requests', () => {
  it('asks with If-None-Match and If-Modified-Since, and reads the cached copy on 304', async () => {
    const lastModified = 'Wed, 01 May 2024 10:00:00 GMT';
    const { url, cacheDir } = serve({ body: record('GHSA-1'), etag: '"abc"', lastModified });
    const source = new OsvHttpSource(url, { cacheDir });

    expect(advisoriesOf(await collect(source)).map((a) => a.id)).toEqual(['GHSA-1']);
    expect(source.lastFetch?.status).toBe('fetched');
    const first = server.requests.at(-1)?.headers;
    expect(first?.['if-none-match']).toBeUndefined();
    expect(first?.['if-modified-since']).toBeUndefined();

    expect(advisoriesOf(await collect(source)).map((a) => a.id)).toEqual(['GHSA-1']);
    expect(source.lastFetch?.status).toBe('not-modified');
    expect(server.requests.at(-1)?.headers).toMatchObject({ 'if-none-match': '"abc"', 'if-modified-since': lastModified });
  });

  it('replaces the cache on a 200 with a new ETag, and asks with the new one next time', async () => {
    const { url, cacheDir } = serve({ body: record('GHSA-1'), etag: '"one"' });
    const source = new OsvHttpSource(url, { cacheDir });
    const before = advisoriesOf(await collect(source));
    routes.set(new URL(url).pathname, { body: record('GHSA-1', '2024-02-02T00:00:00Z'), etag: '"two"' });

    const after = advisoriesOf(await collect(source));
    expect(source.lastFetch?.status).toBe('fetched');
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"one"');
    expect(after[0]?.modified).toBe('2024-02-02T00:00:00Z');
    expect(after[0]?.contentHash).not.toBe(before[0]?.contentHash);

    await collect(source);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"two"');
    expect(source.lastFetch?.status).toBe('not-modified');
    expect((await readdir(cacheDir)).filter((name) => name.endsWith('.body'))).toHaveLength(1);
  });

  it('revalidates by Last-Modified alone when the server sends no ETag', async () => {
    const lastModified = 'Thu, 02 May 2024 08:00:00 GMT';
    const { url, cacheDir } = serve({ body: record('GHSA-2'), lastModified });
    const source = new OsvHttpSource(url, { cacheDir });
    await collect(source);
    await collect(source);
    expect(server.requests.at(-1)?.headers['if-modified-since']).toBe(lastModified);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBeUndefined();
    expect(source.lastFetch?.status).toBe('not-modified');
  });
});

describe('osv-http failures', () => {
  it('reports a 404 as not_found, naming the URL and the status', async () => {
    const url = `${server.url}/nowhere.json`;
    const error = await collect(new OsvHttpSource(url, { cacheDir: path.join(work, 'c404') })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not_found', location: { file: url } });
    expect((error as Error).message).toBe('the server answered HTTP 404 Not Found');
  });

  it('reports a 500, and keeps the cached copy for when the server is back', async () => {
    const { url, cacheDir } = serve({ body: record('GHSA-3'), etag: '"x"' });
    const source = new OsvHttpSource(url, { cacheDir });
    await collect(source);
    routes.set(new URL(url).pathname, { status: 500 });
    await expect(collect(source)).rejects.toThrow('the server answered HTTP 500 Internal Server Error');
    routes.set(new URL(url).pathname, { body: record('GHSA-3'), etag: '"x"' });
    expect(advisoriesOf(await collect(source))).toHaveLength(1);
    expect(source.lastFetch?.status).toBe('not-modified');
  });

  it('gives up on a server that does not answer', async () => {
    const { url, cacheDir } = serve({ hang: true });
    await expect(collect(new OsvHttpSource(url, { cacheDir, timeoutMs: 200 }))).rejects.toMatchObject({
      code: 'source_unavailable',
      message: 'no answer from the server within 200 ms',
    });
  });

  it('stops with the caller’s reason when aborted while waiting', async () => {
    const { url, cacheDir } = serve({ hang: true });
    const controller = new AbortController();
    const reading = collect(new OsvHttpSource(url, { cacheDir }), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    await expect(reading).rejects.toThrow('user cancelled');
  });

  it('reports a refused connection as source_unavailable', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const error = await collect(new OsvHttpSource(`${closed.url}/x.json`, { cacheDir: path.join(work, 'refused') })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'source_unavailable', message: 'cannot reach the server: ECONNREFUSED' });
  });
});

describe('osv-http content kinds', () => {
  it('reads a gzip-compressed JSON body', async () => {
    const { url, cacheDir } = serve({ body: gzipSync(record('GHSA-9')) });
    expect(advisoriesOf(await collect(new OsvHttpSource(url, { cacheDir })))[0]?.id).toBe('GHSA-9');
  });

  it.skipIf(!realAdvisories.available)(`reads an all.zip export and names entries by URL${realAdvisories.skipNote}`, async () => {
    const dir = realAdvisories.dir;
    const names = (await readdir(dir)).filter((name) => name.endsWith('.json'));
    const zipFile = path.join(work, 'all.zip');
    await writeZip(zipFile, [
      ...(await Promise.all(names.map(async (name) => ({ name, data: await readFile(path.join(dir, name)) })))),
      { name: 'BROKEN.json', data: '[' },
    ]);
    const { url, cacheDir } = serve({ body: await readFile(zipFile), etag: '"zip"' });
    const source = new OsvHttpSource(url, { cacheDir });
    const events = await collect(source);
    expect(advisoriesOf(events)).toHaveLength(41);
    expect(errorsOf(events)).toMatchObject([{ code: 'parse_error', location: { file: `${url}!/BROKEN.json` } }]);
    expect(advisoriesOf(await collect(source))).toHaveLength(41);
    expect(source.lastFetch?.status).toBe('not-modified');
  });
});
