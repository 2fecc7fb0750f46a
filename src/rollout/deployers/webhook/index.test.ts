import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { webhookDeployerSettingsSchema } from '../../../config/sections/deployers.js';
import { fixedClock } from '../../../core/clock.js';
import { UfError } from '../../../core/errors.js';
import { startSampleService, type SampleService } from '../../../proxy/sample-service.js';
import { runDeployerContract } from '../deployer.contract.js';
import type { DeployTarget, WebhookEvidence } from '../types.js';
import { createWebhookDeployer, type WebhookDeployer } from './index.js';
import type { DeployRequestBody } from './schema.js';
import { signCallback } from './signature.js';

const secret = 'shared-callback-secret';
const env = { CD_TOKEN: 'token-from-env', CD_SECRET: secret };
const target: DeployTarget = { service: 'checkout', upgrade: 'upg_1', attempt: 1, fromVersion: '1.0.0', toVersion: '2.0.0' };
const clock = fixedClock('2026-12-01T03:00:00Z');
const health = { timeoutMs: 3_000, intervalMs: 50, requestTimeoutMs: 1_000 };

/** How the stand-in CD system behaves. `early` calls back before it answers the POST, `tamper` sends a badly signed callback first, `replay` the good one twice, `stale` one 10 minutes old first. */
type Mode = 'ok' | 'early' | 'report-failure' | 'silent' | 'refuse' | 'tamper' | 'replay' | 'stale';

interface Server {
  url: string;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<Server> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A CD system on loopback: answers each POST 202, then runs the operation (a sample service per
 * variant) and POSTs a signed callback to the body's callbackUrl, as a real one would.
 */
async function startCdSystem(mode: Mode) {
  const services = new Map<string, SampleService>();
  const requests: { body: DeployRequestBody; headers: http.IncomingHttpHeaders }[] = [];
  const callbackStatuses: number[] = [];
  const post = async (url: string, raw: string, signature: string) => {
    const response = await fetch(url, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-uf-signature': signature } });
    callbackStatuses.push(response.status);
  };
  const operate = async (body: DeployRequestBody) => {
    const callback: Record<string, unknown> = { requestId: body.requestId, status: 'succeeded', timestamp: clock.now().toISOString(), callbackId: `run-${requests.length}` };
    if (mode === 'report-failure') Object.assign(callback, { status: 'failed', message: 'image pull failed' });
    else if (body.operation.startsWith('deploy')) {
      const running = services.get(body.variant) ?? (await startSampleService({ version: body.version }));
      services.set(body.variant, running);
      Object.assign(callback, { url: running.url, digest: `sha256:${createHash('sha256').update(body.version).digest('hex')}` });
    } else if (body.operation.startsWith('remove')) {
      const variant = body.operation === 'removeBaseline' ? 'baseline' : 'canary';
      await services.get(variant)?.close();
      services.delete(variant);
    }
    const raw = JSON.stringify(callback);
    if (mode === 'tamper') await post(body.callbackUrl!, raw, signCallback(raw, 'not-the-secret'));
    if (mode === 'stale') {
      const old = JSON.stringify({ ...callback, timestamp: new Date(clock.now().getTime() - 10 * 60_000).toISOString() });
      await post(body.callbackUrl!, old, signCallback(old, secret));
    }
    await post(body.callbackUrl!, raw, signCallback(raw, secret));
    if (mode === 'replay') await post(body.callbackUrl!, raw, signCallback(raw, secret));
  };
  const server = await listen((req, res) => {
    void readBody(req).then((raw) => {
      const body = JSON.parse(raw.toString('utf8')) as DeployRequestBody;
      requests.push({ body, headers: req.headers });
      if (mode === 'refuse') return void res.writeHead(503).end('maintenance');
      if (mode === 'early') return void operate(body).then(() => res.writeHead(202).end());
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: body.requestId }));
      if (mode !== 'silent') setTimeout(() => void operate(body), 20);
    });
  });
  return {
    ...server,
    requests,
    callbackStatuses,
    close: async () => {
      await Promise.all([...services.values()].map((s) => s.close()));
      await server.close();
    },
  };
}

/** uf's side: a webhook deployer, and an HTTP route that hands callbacks to its acceptCallback (as the API will). */
async function startUf(cdUrl: string, settings: Record<string, unknown> = {}) {
  const receiver: { deployer?: WebhookDeployer } = {};
  const api = await listen((req, res) => {
    void readBody(req).then((raw) => {
      const outcome = receiver.deployer!.acceptCallback(raw, req.headers);
      res.writeHead(outcome.status, { 'content-type': 'application/json' }).end(JSON.stringify(outcome));
    });
  });
  const parsed = webhookDeployerSettingsSchema.parse({ service: 'checkout', url: `${cdUrl}/deploy/{{service}}`, tokenEnv: 'CD_TOKEN', secretEnv: 'CD_SECRET', baseline: true, health, ...settings });
  const deployer = createWebhookDeployer(parsed, { clock, env, callbackUrl: `${api.url}/api/v1/deployers/checkout/callback` });
  receiver.deployer = deployer;
  return { deployer, close: () => api.close() };
}

const stops: (() => Promise<void>)[] = [];
async function setUp(mode: Mode, settings: Record<string, unknown> = {}) {
  const cd = await startCdSystem(mode);
  const uf = await startUf(cd.url, settings);
  stops.push(cd.close, uf.close);
  return { cd, deployer: uf.deployer };
}
async function stopAll(): Promise<void> {
  for (const stop of stops.splice(0)) await stop();
}

runDeployerContract({
  name: 'webhook',
  async setup() {
    const { deployer } = await setUp('ok');
    const { deployer: failing } = await setUp('report-failure');
    const { deployer: slow } = await setUp('silent', { callbackTimeoutMs: 700 });
    return { deployer, failing, slow: { deployer: slow, timeoutMs: 700 }, target, teardown: stopAll };
  },
});

describe('webhook deployer', () => {
  afterAll(stopAll);

  it('POSTs the operation with the token from the environment and a stable idempotency key', async () => {
    const { cd, deployer } = await setUp('ok');
    const first = await deployer.deployCanary(target);
    const retry = await deployer.deployCanary(target);
    expect(first.ok && retry.ok).toBe(true);
    expect(retry.digest).toBe(first.digest);
    expect(first.digest).toBe(`sha256:${createHash('sha256').update('2.0.0').digest('hex')}`);
    const [one, two] = cd.requests;
    expect(one!.headers.authorization).toBe('Bearer token-from-env');
    expect(one!.headers['idempotency-key']).toBe(one!.body.requestId);
    expect(two!.body.requestId).toBe(one!.body.requestId);
    expect(one!.body).toMatchObject({ operation: 'deployCanary', service: 'checkout', variant: 'canary', version: '2.0.0', fromVersion: '1.0.0' });
    expect((first.evidence as WebhookEvidence)).toMatchObject({ url: `${cd.url}/deploy/checkout`, httpStatus: 202, callback: { status: 'succeeded', id: 'run-1' } });
    expect(JSON.stringify(first.evidence)).not.toContain('token-from-env');
    expect(cd.callbackStatuses).toEqual([202, 202]);
  });

  it('refuses a callback with a bad signature and goes on waiting for the real one', async () => {
    const { cd, deployer } = await setUp('tamper');
    const result = await deployer.deployCanary(target);
    expect(result.ok).toBe(true);
    expect(cd.callbackStatuses).toEqual([401, 202]);
  });

  it('refuses a replayed callback, and one whose timestamp is too old', async () => {
    const replayed = await setUp('replay');
    expect((await replayed.deployer.deployCanary(target)).ok).toBe(true);
    await expect.poll(() => replayed.cd.callbackStatuses).toEqual([202, 409]);
    const stale = await setUp('stale');
    expect((await stale.deployer.deployCanary(target)).ok).toBe(true);
    expect(stale.cd.callbackStatuses).toEqual([401, 202]);
  });

  it('takes a callback that comes before the answer to the POST', async () => {
    const { cd, deployer } = await setUp('early');
    const result = await deployer.deployCanary(target);
    expect(result.ok).toBe(true);
    expect(cd.callbackStatuses).toEqual([202]);
  });

  it('fails when the CD system refuses the request, with its answer as evidence', async () => {
    const { deployer } = await setUp('refuse');
    const result = await deployer.deployCanary(target);
    expect(result).toMatchObject({ ok: false, digest: null });
    expect(result.reason).toMatch(/answered 503$/);
    expect(result.evidence).toMatchObject({ httpStatus: 503, response: 'maintenance' });
  });

  it('fails when the CD system reports a failure, with its message', async () => {
    const { deployer } = await setUp('report-failure');
    const result = await deployer.deployCanary(target);
    expect(result.reason).toBe('the CD system reported deployCanary failed: image pull failed');
  });

  it('fails when nothing answers at the URL', async () => {
    const { deployer, close } = await startUf('http://127.0.0.1:9', { requestTimeoutMs: 1_000 });
    stops.push(close);
    const result = await deployer.deployCanary(target);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/^cannot reach the CD system at http:\/\/127\.0\.0\.1:9\/deploy\/checkout: /);
  });

  it('refuses to start without its secret in the environment', () => {
    const settings = webhookDeployerSettingsSchema.parse({ service: 'checkout', url: 'http://127.0.0.1:9', secretEnv: 'MISSING_SECRET' });
    expect(() => createWebhookDeployer(settings, { clock, env: {} })).toThrow(UfError);
  });

  it('answers 401 to an unsigned callback and 400 to a signed body that is not a callback', async () => {
    const { deployer } = await setUp('ok');
    expect(deployer.acceptCallback('{}', {})).toMatchObject({ accepted: false, status: 401, reason: 'no x-uf-signature header' });
    const raw = '{"requestId": 1}';
    expect(deployer.acceptCallback(raw, { 'X-UF-Signature': signCallback(raw, secret) })).toMatchObject({ accepted: false, status: 400 });
    expect(deployer.acceptCallback('not json', { 'x-uf-signature': signCallback('not json', secret) })).toMatchObject({ status: 400, reason: 'the body is not JSON' });
  });
});
