import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthUrl, waitHealthy } from './health.js';

describe('waitHealthy', () => {
  let server: http.Server;
  let base: string;
  let answers: number[];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/hang') return;
      res.writeHead(answers.shift() ?? 200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('passes on the first 2xx after failed attempts, counting them', async () => {
    answers = [503, 500];
    const result = await waitHealthy(`${base}/healthz`, { timeoutMs: 3_000, intervalMs: 20 });
    expect(result).toMatchObject({ ok: true, attempts: 3, lastStatus: 200 });
  });

  it('fails once the timeout has passed, with the last answer', async () => {
    answers = Array.from({ length: 100 }, () => 503);
    const started = performance.now();
    const result = await waitHealthy(`${base}/healthz`, { timeoutMs: 300, intervalMs: 50 });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result).toMatchObject({ ok: false, lastStatus: 503, lastError: 'answered 503' });
    expect(result.attempts).toBeGreaterThan(1);
  });

  it('bounds an attempt that never answers by the request timeout', async () => {
    const result = await waitHealthy(`${base}/hang`, { timeoutMs: 400, intervalMs: 50, requestTimeoutMs: 150 });
    expect(result.ok).toBe(false);
    // The last attempt gets what is left of the 400 ms, at most 150.
    expect(result.lastError).toMatch(/^no answer within \d+ ms$/);
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(result.durationMs).toBeLessThan(1_000);
  });

  it('fails on a refused connection with the reason', async () => {
    const result = await waitHealthy('http://127.0.0.1:9/healthz', { timeoutMs: 200, intervalMs: 50 });
    expect(result.ok).toBe(false);
    expect(result.lastError).toMatch(/ECONNREFUSED/);
  });
});

describe('healthUrl', () => {
  it('prefers the configured URL, else puts the path under the deployed URL', () => {
    expect(healthUrl('http://h/health', '/healthz', 'http://x:1')).toBe('http://h/health');
    expect(healthUrl(undefined, '/healthz', 'http://x:1')).toBe('http://x:1/healthz');
    expect(healthUrl(undefined, '/healthz', undefined)).toBeUndefined();
  });
});
