import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadProbeCheckSchema, type LoadProbeCheckSettings } from '../../../config/sections/compat.js';
import type { CheckRequest } from '../../types.js';
import { checkRunnerContract, contractConsumer } from '../check-runner.contract.js';
import { createLoadProbeCheckRunner } from './index.js';
import { runProbe } from './probe.js';

/** A staging stand-in: /fast answers at once, /slow after 300 ms, /flaky answers 500 to every third request. */
let server: Server;
let base = '';
let closedPortUrl = '';
const seen: { path: string; method: string; body: string; headers: IncomingMessage['headers'] }[] = [];
let open = 0;
let peakOpen = 0;

beforeAll(async () => {
  let flakyCount = 0;
  server = createServer((req, res) => {
    open += 1;
    peakOpen = Math.max(peakOpen, open);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', method: req.method ?? '', body: Buffer.concat(chunks).toString(), headers: req.headers });
      const answer = (status: number) => {
        open -= 1;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 400 ? 'ok' : 'boom');
      };
      if (req.url === '/slow') setTimeout(() => answer(200), 300);
      else if (req.url === '/flaky') answer((flakyCount += 1) % 3 === 0 ? 500 : 200);
      else if (req.url === '/redirect') answer(302);
      else answer(200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPortUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/health`;
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
  peakOpen = 0;
});

function request(spec: Record<string, unknown>, signal = new AbortController().signal): CheckRequest<LoadProbeCheckSettings> {
  return {
    checkId: 'checkout-load',
    kind: 'load-probe',
    spec: loadProbeCheckSchema.parse({ id: 'checkout-load', kind: 'load-probe', ...spec }),
    upgradeId: 'upg_1',
    components: [{ ecosystem: 'npm', name: 'express', fromVersions: ['4.21.2'], targetVersion: '5.1.0' }],
    consumer: contractConsumer(),
    baseDir: '/tmp',
    signal,
  };
}

const runner = createLoadProbeCheckRunner;

checkRunnerContract('load-probe', {
  create: runner,
  passing: () => request({ url: `${base}/fast`, rate: 20, duration: '500ms', thresholds: { http_req_duration: ['p(95)<200'] } }),
  failing: () => request({ url: `${base}/slow`, rate: 10, duration: '500ms', thresholds: { http_req_duration: ['p(95)<200'] } }),
  broken: () => ({ request: request({ url: closedPortUrl, rate: 10, duration: '300ms', thresholds: { http_req_failed: ['rate<0.01'] } }), mentions: closedPortUrl }),
});

describe('load-probe check', () => {
  it('passes p(95)<200 at rate 50 for 1s against a fast server, with k6 metrics in details', async () => {
    const outcome = await runner().run(request({ url: `${base}/fast`, rate: 50, duration: '1s', thresholds: { http_req_duration: ['p(95)<200', 'max<1000'], http_reqs: ['count==50'] } }));
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(seen).toHaveLength(50);
    const metrics = outcome.details?.['metrics'] as Record<string, Record<string, number>>;
    expect(metrics['http_reqs']).toMatchObject({ count: 50 });
    expect(metrics['http_reqs']?.['rate']).toBeGreaterThan(40);
    expect(metrics['http_req_duration']).toMatchObject({ type: 'trend', count: 50 });
    expect(Object.keys(metrics['http_req_duration'] ?? {})).toEqual(expect.arrayContaining(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']));
    expect(metrics['http_req_failed']).toMatchObject({ rate: 0, fails: 50 });
    expect(outcome.details?.['thresholds']).toEqual([
      { metric: 'http_req_duration', threshold: 'p(95)<200', ok: true, observed: expect.any(Number) },
      { metric: 'http_req_duration', threshold: 'max<1000', ok: true, observed: expect.any(Number) },
      { metric: 'http_reqs', threshold: 'count==50', ok: true, observed: 50 },
    ]);
  }, 5_000);

  it('fails p(95)<200 against a 300 ms server, naming the threshold and the value seen', async () => {
    const outcome = await runner().run(request({ url: `${base}/slow`, rate: 50, duration: '1s', thresholds: { http_req_duration: ['p(95)<200'] } }));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(/^http_req_duration p\(95\)<200 failed: p\(95\)=3\d\d(\.\d)? ms$/);
    // Open model: requests kept starting on schedule while earlier ones waited on the server.
    expect(peakOpen).toBeGreaterThanOrEqual(5);
  }, 5_000);

  it('counts 500 answers in http_req_failed and checks', async () => {
    const outcome = await runner().run(request({ url: `${base}/flaky`, rate: 30, duration: '1s', thresholds: { http_req_failed: ['rate<0.1'], checks: ['rate>0.9'] } }));
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toBe('http_req_failed rate<0.1 failed: rate=0.3333 (and 1 more threshold)');
    const metrics = outcome.details?.['metrics'] as Record<string, Record<string, number>>;
    expect(metrics['http_req_failed']).toMatchObject({ rate: 0.3333, passes: 10, fails: 20 });
    expect(metrics['checks']).toMatchObject({ rate: 0.6667, passes: 20, fails: 10 });
    expect(outcome.details?.['statuses']).toEqual({ '200': 20, '500': 10 });
  }, 5_000);

  it('sends the configured method, headers and body, and does not follow a redirect', async () => {
    const outcome = await runner().run(
      request({ url: `${base}/redirect`, method: 'POST', headers: { 'x-probe': 'uf' }, body: '{"cart":1}', rate: 10, duration: '200ms', thresholds: { http_req_failed: ['rate==0'] } }),
    );
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(seen.map((s) => [s.path, s.method, s.body, s.headers['x-probe']])).toEqual([
      ['/redirect', 'POST', '{"cart":1}', 'uf'],
      ['/redirect', 'POST', '{"cart":1}', 'uf'],
    ]);
  });

  it('answers an aggregation the metric does not offer with an error naming both, before sending anything', async () => {
    const outcome = await runner().run(request({ url: `${base}/fast`, rate: 10, duration: '1s', thresholds: { http_req_failed: ['p(95)<200'] } }));
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toContain("http_req_failed 'p(95)<200'");
    expect(seen).toHaveLength(0);
  });

  it('is an error when no request got an answer within requestTimeout', async () => {
    const outcome = await runner().run(request({ url: `${base}/slow`, rate: 10, duration: '300ms', requestTimeout: '50ms', thresholds: { http_req_failed: ['rate<0.5'] } }));
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toBe(`no request to ${base}/slow got an answer (3 sent: 3 × request timeout)`);
  });

  it('stops sending when its signal aborts, and answers an error', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('lease lost')), 200);
    const outcome = await runner().run(request({ url: `${base}/fast`, rate: 50, duration: '2s', thresholds: { http_req_duration: ['p(95)<200'] } }, controller.signal));
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toContain('lease lost');
    expect(seen.length).toBeLessThan(50);
  });

  it('drops starts when the in-flight cap is reached, as k6 counts dropped_iterations', async () => {
    const measures = await runProbe({ url: `${base}/slow`, method: 'GET', headers: {}, rate: 40, durationMs: 500, requestTimeoutMs: 2_000, maxInFlight: 3, signal: new AbortController().signal });
    expect(peakOpen).toBeLessThanOrEqual(3);
    expect(measures.droppedIterations).toBeGreaterThan(0);
    expect(measures.httpReqs + measures.droppedIterations).toBe(20);
  });
});
