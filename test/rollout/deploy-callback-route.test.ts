import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { composeRoot } from '../../src/app/root.js';
import { parseConfig } from '../../src/config/load.js';
import { fixedClock } from '../../src/core/clock.js';
import { signCallback } from '../../src/rollout/deployers/webhook/signature.js';
import type { Store } from '../../src/store/open.js';
import { storeTargets } from '../helpers/stores.js';

/**
 * `POST /api/v1/deployers/:service/callback` as a CD system calls it: no bearer token, the body
 * signed with the shared secret; the signature is checked over the exact bytes sent.
 */
describe('deploy callback route', () => {
  const now = '2026-12-01T09:00:00.000Z';
  const secret = 'shared-secret-of-the-cd-system';
  let app: Awaited<ReturnType<typeof buildServer>>;
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    const config = parseConfig(
      ['version: 1', 'name: callback-test', 'deployers:', '  - service: checkout', '    kind: webhook', '    url: http://127.0.0.1:9/deploy', '    secretEnv: CD_SECRET', ''].join('\n'),
      'factory.yaml',
    );
    const parts = composeRoot({ config, file: undefined, baseDir: '.' }, { env: { CD_SECRET: secret }, clock: fixedClock(now), logger: pino({ level: 'silent' }) });
    app = await buildServer({ store, config, root: parts });
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  const post = (service: string, body: string, signature?: string) =>
    app.inject({ method: 'POST', url: `/api/v1/deployers/${service}/callback`, headers: { 'content-type': 'application/json', ...(signature ? { 'x-uf-signature': signature } : {}) }, payload: body });

  it('takes a signed callback without a token, once', async () => {
    const body = JSON.stringify({ requestId: 'req-1', status: 'succeeded', digest: `sha256:${'a'.repeat(64)}`, timestamp: now });
    const first = await post('checkout', body, signCallback(body, secret));
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toEqual({ accepted: true, requestId: 'req-1' });
    const replay = await post('checkout', body, signCallback(body, secret));
    expect(replay.statusCode).toBe(409);
  });

  it('refuses an unsigned, a wrongly signed or a re-serialised body, and a service without a webhook deployer', async () => {
    const body = JSON.stringify({ requestId: 'req-2', status: 'succeeded', timestamp: now });
    expect((await post('checkout', body)).statusCode).toBe(401);
    expect((await post('checkout', body, signCallback(body, 'another secret'))).statusCode).toBe(401);
    // The same JSON with other whitespace is other bytes: its signature does not carry over.
    expect((await post('checkout', JSON.stringify(JSON.parse(body), null, 2), signCallback(body, secret))).statusCode).toBe(401);
    const none = await post('cart', body, signCallback(body, secret));
    expect(none.statusCode).toBe(404);
    expect(none.json<{ message: string }>().message).toContain('service cart has no webhook deployer here');
  });
});
