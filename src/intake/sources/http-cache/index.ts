import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UfError, isUfError } from '../../../core/errors.js';
import { readInput, tooLarge, type InputLimit } from '../../../core/input/index.js';
import { fileError } from '../events.js';
import { cacheMetaSchema, type CacheMeta } from './schema.js';

export interface CachedFetchOptions {
  /** Folder for bodies and their validators; created when missing. One writer per URL at a time. */
  cacheDir: string;
  signal?: AbortSignal;
  /** Longest wait for the response to start, and then between two chunks of its body. Default 30 s. */
  timeoutMs?: number;
  /** Default: Node's global fetch (undici). */
  fetch?: typeof fetch;
  /** The most bytes the body may have (after any Content-Encoding); the download stops past it. Default: no bound. */
  limit?: InputLimit;
}

export interface CachedResponse {
  url: string;
  /** The body on disk, whole: the new one after a 200, the kept one after a 304. */
  path: string;
  /** `fetched`: the server sent content and it replaced the cache; `not-modified`: a 304 confirmed it. */
  status: 'fetched' | 'not-modified';
  etag?: string;
  lastModified?: string;
  contentType?: string;
}

export const defaultTimeoutMs = 30_000;

/**
 * GETs `url` into the cache, conditionally: with `If-None-Match` / `If-Modified-Since` from the
 * cached copy's validators, so an unchanged resource costs a 304 and no body. The body streams to
 * disk (an `all.zip` is hundreds of megabytes) under a new name; the record naming it is replaced
 * atomically, so a crash leaves the old copy or the new one, never half of one.
 *
 * Failures throw UfError located at the URL: HTTP 401/403 as `unauthorized`/`forbidden`, other
 * HTTP errors, timeouts and network failures as `source_unavailable` (the source cannot be had). Aborting
 * through `signal` throws the signal's reason unchanged.
 */
export async function fetchToCache(url: string | URL, options: CachedFetchOptions): Promise<CachedResponse> {
  const href = url.toString();
  const key = createHash('sha256').update(href).digest('hex').slice(0, 32);
  const metaPath = path.join(options.cacheDir, `${key}.json`);
  await mkdir(options.cacheDir, { recursive: true });
  const cached = await readMeta(metaPath, options.cacheDir, href);

  const headers: Record<string, string> = {};
  if (cached?.etag !== undefined) headers['if-none-match'] = cached.etag;
  if (cached?.lastModified !== undefined) headers['if-modified-since'] = cached.lastModified;

  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const idle = new IdleTimeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
  const failure = (error: unknown, doing: string): unknown => {
    if (options.signal?.aborted) return options.signal.reason;
    if (idle.fired) return new UfError('source_unavailable', `no answer from the server within ${timeoutMs} ms`, { file: href });
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const reason = String(cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : error));
    return new UfError('source_unavailable', `${doing}: ${reason}`, { file: href }, { cause: error });
  };

  try {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(href, { headers, signal, redirect: 'follow' });
    } catch (error) {
      throw failure(error, 'cannot reach the server');
    }
    if (response.status === 304) {
      await response.body?.cancel();
      if (!cached) throw new UfError('source_unavailable', 'the server answered 304 Not Modified, but nothing is cached', { file: href });
      return answer(href, options.cacheDir, cached, 'not-modified');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw httpError(response, href);
    }
    const meta: CacheMeta = { url: href, body: `${key}-${randomUUID()}.body` };
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    const contentType = response.headers.get('content-type');
    if (etag !== null) meta.etag = etag;
    if (lastModified !== null) meta.lastModified = lastModified;
    if (contentType !== null) meta.contentType = contentType;
    const bodyPath = path.join(options.cacheDir, meta.body);
    try {
      await writeBody(response, bodyPath, idle, options.limit, href);
    } catch (error) {
      await rm(bodyPath, { force: true });
      if (isUfError(error)) throw error;
      throw failure(error, 'download failed');
    }
    const temporary = `${metaPath}.${randomUUID()}.tmp`;
    await writeFile(temporary, JSON.stringify(meta));
    await rename(temporary, metaPath);
    await removeStaleBodies(options.cacheDir, key, meta.body);
    return answer(href, options.cacheDir, meta, 'fetched');
  } finally {
    idle.clear();
  }
}

export type LocalCopyOptions = Partial<CachedFetchOptions>;

/**
 * A file to read for `spec`: an http(s) URL is fetched into the cache (`cacheDir` required) and
 * its cached body returned; a path or `file:` URL is returned as it is. `label` names the input
 * in error messages: the URL or the path as given.
 */
export async function localCopy(spec: string | URL, options: LocalCopyOptions = {}): Promise<{ file: string; label: string }> {
  const label = spec.toString();
  if (/^file:/i.test(label)) return { file: fileURLToPath(label), label };
  if (!/^https?:\/\//i.test(label)) return { file: label, label };
  if (options.cacheDir === undefined) throw new UfError('usage', 'reading from a URL needs a cache directory', { file: label });
  const fetched = await fetchToCache(label, { ...options, cacheDir: options.cacheDir });
  return { file: fetched.path, label };
}

/**
 * `localCopy`, then the bytes, at most `options.limit` of them (downloaded and read): a missing or
 * unreadable file is UfError `not_found` naming the input, a larger one `input_too_large`.
 */
export async function readLocalCopy(spec: string | URL, options: LocalCopyOptions & { limit: InputLimit }): Promise<{ bytes: Buffer; label: string }> {
  const { file, label } = await localCopy(spec, options);
  try {
    return { bytes: await readInput(file, options.limit, { label }), label };
  } catch (error) {
    if (isUfError(error)) throw error;
    throw fileError(error, label);
  }
}

function answer(url: string, cacheDir: string, meta: CacheMeta, status: CachedResponse['status']): CachedResponse {
  const response: CachedResponse = { url, path: path.join(cacheDir, meta.body), status };
  if (meta.etag !== undefined) response.etag = meta.etag;
  if (meta.lastModified !== undefined) response.lastModified = meta.lastModified;
  if (meta.contentType !== undefined) response.contentType = meta.contentType;
  return response;
}

function httpError(response: Response, href: string): UfError {
  const code = response.status === 401 ? 'unauthorized' : response.status === 403 ? 'forbidden' : response.status === 404 || response.status === 410 ? 'not_found' : 'source_unavailable';
  const text = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return new UfError(code, `the server answered HTTP ${text}`, { file: href });
}

/** The cached record, if it is intact, for this URL, and its body still exists. */
async function readMeta(metaPath: string, cacheDir: string, href: string): Promise<CacheMeta | undefined> {
  try {
    const meta = cacheMetaSchema.safeParse(JSON.parse(await readFile(metaPath, 'utf8')));
    if (!meta.success || meta.data.url !== href) return undefined;
    return (await stat(path.join(cacheDir, meta.data.body))).isFile() ? meta.data : undefined;
  } catch {
    return undefined;
  }
}

async function writeBody(response: Response, file: string, idle: IdleTimeout, limit: InputLimit | undefined, href: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    if (!response.body) return;
    let total = 0;
    for await (const chunk of response.body) {
      idle.touch();
      total += chunk.byteLength;
      // Counted as it arrives, so a server sending without end (or a Content-Encoding bomb) stops here.
      if (limit !== undefined && total > limit.maxBytes) {
        await response.body.cancel().catch(() => undefined);
        throw tooLarge(limit, href, 'the download grew past');
      }
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
}

/** Bodies of this URL other than the current one: left by a replaced copy or an interrupted download. */
async function removeStaleBodies(cacheDir: string, key: string, current: string): Promise<void> {
  const names = await readdir(cacheDir);
  const stale = names.filter((name) => name.startsWith(`${key}-`) && name.endsWith('.body') && name !== current);
  await Promise.all(stale.map((name) => rm(path.join(cacheDir, name), { force: true })));
}

/** Aborts when `ms` pass without a `touch()`: a stalled server, not a slow large download. */
class IdleTimeout {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  fired = false;

  constructor(private readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort(new Error(`idle for ${this.ms} ms`));
    }, this.ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
