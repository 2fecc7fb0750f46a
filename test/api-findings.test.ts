import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { readLog } from '../src/store/repos/operation-log.js';
import { buildServer } from '../src/api/server.js';
import { parseConfig } from '../src/config/load.js';
import type { Store } from '../src/store/open.js';
import { findingId, syncFindings } from '../src/intake/store/findings.js';
import { createToken } from '../src/store/repos/tokens.js';
import { storeTargets } from './helpers/stores.js';

describe('REST API: finding acceptance', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  const finding = { advisoryId: 'GHSA-jfh8-c2jp-5v3q', service: 'search', environment: 'production', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', direct: true, fixedIn: ['2.15.0'] };
  const id = findingId(finding);
  const bearer = async (role: 'viewer' | 'security') => ({ authorization: `Bearer ${(await createToken(store, { name: role, role, actor: 'alice' })).secret}` });

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open());
    await store.db.transaction().execute((trx) => syncFindings(trx, [finding], new Date()));
    const config = parseConfig('version: 1\n', 'f.yaml');
    app = await buildServer({ store, config });
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  it('accepts with the token as actor; refuses viewers, bad dates and unknown findings', async () => {
    const expires = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const body = { reason: 'not reachable', owner: 'team-search', expires };
    const url = `/api/v1/findings/${id}/acceptances`;
    expect((await app.inject({ method: 'POST', url, headers: await bearer('viewer'), payload: body })).statusCode).toBe(403);
    const security = await bearer('security');
    expect((await app.inject({ method: 'POST', url, headers: security, payload: { ...body, expires: '2020-01-01' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/findings/fnd_nope/acceptances', headers: security, payload: body })).statusCode).toBe(404);
    const ok = await app.inject({ method: 'POST', url, headers: security, payload: body });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ findingId: id, owner: 'team-search', expiresAt: `${expires}T00:00:00.000Z`, acceptedBy: expect.stringMatching(/^token:/) });
    const log = [];
    for await (const e of readLog(store.db, { subject: id })) log.push(e);
    expect(log).toMatchObject([{ action: 'finding.accept', actor: expect.stringMatching(/^token:/) }]);
  });
});
