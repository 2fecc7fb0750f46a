import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildServer } from '../src/api/server.js';
import { composeRoot } from '../src/app/root.js';
import { createRollouts } from '../src/app/rollouts.js';
import { parseConfig } from '../src/config/load.js';
import { fixedClock } from '../src/core/clock.js';
import { tokenExpiry } from '../src/governance/identities/token-expiry.js';
import type { Store } from '../src/store/open.js';
import { readLog } from '../src/store/repos/operation-log.js';
import { createToken } from '../src/store/repos/tokens.js';
import { runUf } from './helpers/cli.js';
import { storeTargets } from './helpers/stores.js';

const day = 86_400_000;

describe('identities: tokens that expire, rotate and are revoked; people who are disabled; the CLI as a client', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  let base: string;
  let admin: string;
  const clock = fixedClock('2026-11-02T09:00:00.000Z');
  const config = parseConfig('version: 1\nname: identities-test\ntokens:\n  defaultExpiry: 30d\n  maxExpiry: 90d\n  rotationGrace: 1h\n', 'f.yaml');

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open({ clock }));
    const parts = composeRoot({ config, file: undefined, baseDir: '.' }, { env: {}, logger: pino({ level: 'silent' }), clock });
    const root = { ...parts, store, close: () => Promise.resolve() };
    app = await buildServer({ store, config, root, rollouts: createRollouts(root, { routerFor: () => undefined }), compat: root });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    admin = (await createToken(store, { name: 'admin', role: 'admin', actor: 'user:setup', user: 'ada', expiresAt: new Date(clock.now().getTime() + 365 * day) })).secret;
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  const call = async (secret: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${secret}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  it('creates tokens with the configured expiry, refuses longer ones and never-expiring ones, and refuses them once expired', async () => {
    const created = await call(admin, 'POST', '/api/v1/tokens', { name: 'ops', role: 'operator', user: 'olga' });
    expect(created.status).toBe(201);
    const token = created.body.token as { id: string; expiresAt: string };
    expect(token.expiresAt).toBe('2026-12-02T09:00:00.000Z');
    expect((await call(admin, 'POST', '/api/v1/tokens', { name: 'x', role: 'viewer', expiresIn: '91d' })).body.message).toContain('longer than tokens.maxExpiry (90d)');
    expect((await call(admin, 'POST', '/api/v1/tokens', { name: 'x', role: 'viewer', expiresIn: 'never' })).body.message).toContain('tokens.allowNonExpiring');
    const secret = created.body.secret as string;
    expect((await call(secret, 'GET', '/api/v1/whoami')).body).toMatchObject({ identity: 'user:olga', token: { role: 'operator' } });
    clock.advance(30 * day);
    const expired = await call(secret, 'GET', '/api/v1/whoami');
    expect(expired).toMatchObject({ status: 401, body: { code: 'unauthorized', message: `the bearer token ${token.id} expired at 2026-12-02T09:00:00.000Z` } });
    expect(tokenExpiry(config.tokens, undefined, clock.now())?.toISOString()).toBe('2027-01-01T09:00:00.000Z');
  });

  it('rotates a token: the new secret works, the old one only during the grace, then says it was replaced', async () => {
    const { token, secret } = await createToken(store, { name: 'ci', role: 'operator', actor: 'user:setup', user: 'cian', expiresAt: new Date(clock.now().getTime() + 10 * day) });
    const rotated = await call(secret, 'POST', `/api/v1/tokens/${token.id}/rotate`, {});
    expect(rotated.status).toBe(201);
    const next = rotated.body.secret as string;
    expect((await call(next, 'GET', '/api/v1/whoami')).body).toMatchObject({ identity: 'user:cian' });
    expect((await call(secret, 'GET', '/api/v1/whoami')).status).toBe(200);
    clock.advance(3_600_000);
    const old = await call(secret, 'GET', '/api/v1/whoami');
    expect(old.status).toBe(401);
    expect(old.body.message).toContain(`it was rotated; ${(rotated.body.token as { id: string }).id} replaces it`);
    // Someone else's token is an admin's business only.
    const other = await createToken(store, { name: 'other', role: 'viewer', actor: 'user:setup', expiresAt: new Date(clock.now().getTime() + day) });
    expect((await call(next, 'POST', `/api/v1/tokens/${other.token.id}/revoke`, { reason: 'not mine' })).status).toBe(403);
  });

  it('revokes a token and disables a person, refusing their requests from then on, and logs every refusal without the secret', async () => {
    const victim = await createToken(store, { name: 'leaked', role: 'approver', actor: 'user:setup', user: 'lee', expiresAt: new Date(clock.now().getTime() + day) });
    expect((await call(admin, 'POST', `/api/v1/tokens/${victim.token.id}/revoke`, { reason: 'pasted in a chat' })).body).toMatchObject({ revokedBy: 'user:ada', revokeReason: 'pasted in a chat' });
    expect((await call(victim.secret, 'GET', '/api/v1/whoami')).body.message).toContain('was revoked at');
    expect((await call(admin, 'POST', `/api/v1/tokens/${victim.token.id}/revoke`, { reason: 'again' })).status).toBe(409);

    const person = await createToken(store, { name: 'dan', role: 'approver', actor: 'user:setup', user: 'dan', expiresAt: new Date(clock.now().getTime() + day) });
    expect((await call(admin, 'POST', '/api/v1/users/dan/disable', { reason: 'left the company' })).status).toBe(200);
    expect((await call(person.secret, 'GET', '/api/v1/whoami')).body.message).toBe(`the bearer token's person dan was disabled at ${clock.now().toISOString()}`);
    expect((await call('uf_not-a-real-token', 'GET', '/api/v1/whoami')).body.message).toBe('the bearer token is unknown');

    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = [];
    for await (const entry of readLog(store.db)) log.push(entry);
    const kinds = log.filter((e) => e.action.startsWith('auth.refused')).map((e) => e.action);
    expect(kinds).toEqual(expect.arrayContaining(['auth.refused.expired', 'auth.refused.revoked', 'auth.refused.disabled', 'auth.refused.unknown']));
    const everything = JSON.stringify(log) + JSON.stringify((await call(admin, 'GET', '/api/v1/tokens')).body);
    for (const secret of [victim.secret, person.secret, admin]) expect(everything).not.toContain(secret);
    expect(everything).not.toContain('secret_hash');
  });

  it('works as a client of the server with UF_SERVER and UF_TOKEN, acting as the token\'s person, with no local factory.yaml', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'uf-client-'));
    try {
      const { secret } = await createToken(store, { name: 'laptop', role: 'admin', actor: 'user:setup', user: 'ada', expiresAt: new Date(clock.now().getTime() + day) });
      const env = { UF_SERVER: base, UF_TOKEN: secret, UF_ACTOR: 'user:mallory' };
      const whoami = await runUf(['whoami'], { cwd, env });
      expect(whoami.stdout).toContain(`user:ada at ${base}: role admin`);
      const added = await runUf(['user', 'add', 'pat', '--team', 'payments', '--json'], { cwd, env });
      expect(JSON.parse(added.stdout)).toMatchObject({ name: 'pat', teams: ['payments'] });
      const rollouts = await runUf(['rollout', 'status', '--json'], { cwd, env });
      expect([rollouts.code, JSON.parse(rollouts.stdout)]).toEqual([0, []]);
      const start = await runUf(['rollout', 'start', 'no-such-upgrade'], { cwd, env });
      expect(start.code).toBe(1);
      expect(start.stderr).toContain('answered 404');
      // A command without a server mode is refused rather than writing a local store as UF_ACTOR.
      const local = await runUf(['upgrades', 'list'], { cwd, env });
      expect(local.code).toBe(2);
      expect(local.stderr).toContain('UF_SERVER is set');
      const log = [];
      for await (const entry of readLog(store.db)) if (entry.action === 'user.add' && entry.subject === 'user:pat') log.push(entry.actor);
      expect(log).toEqual(['user:ada']);
      const badToken = await runUf(['whoami'], { cwd, env: { ...env, UF_TOKEN: 'uf_wrong' } });
      expect([badToken.code, badToken.stderr]).toEqual([2, expect.stringContaining('the bearer token is unknown')]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
