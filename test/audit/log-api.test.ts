import { generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { parseCheckpoint } from '../../src/audit/checkpoint.js';
import { verifyConsistency, verifyInclusion } from '../../src/audit/merkle.js';
import { parseConfig } from '../../src/config/load.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Store } from '../../src/store/open.js';
import { publishCheckpoint } from '../../src/store/repos/log-proofs.js';
import { createToken } from '../../src/store/repos/tokens.js';
import { storeTargets } from '../helpers/stores.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';

const buf = (h: string): Buffer => Buffer.from(h, 'hex');

describe('log proof routes', () => {
  let app: FastifyInstance;
  let store: Store;
  let cleanup: () => Promise<void>;
  let auditor: { authorization: string };
  const clock = fixedClock('2030-03-01T08:00:00.000Z');

  beforeAll(async () => {
    ({ store, cleanup } = await storeTargets[0]!.open({ clock }));
    await upgradeAtCompat(store, { clock });
    await publishCheckpoint(store, { origin: 'api.test/log', keyName: 'api.test/log', privateKey: generateKeyPairSync('ed25519').privateKey, actor: 'user:ops', writtenTo: null });
    const { secret } = await createToken(store, { name: 'audit', role: 'auditor', actor: 'user:test' });
    auditor = { authorization: `Bearer ${secret}` };
    const config = parseConfig('version: 1\nname: audit-api\n', 'f.yaml');
    app = await buildServer({ store, config, loaded: { config, file: undefined, baseDir: process.cwd() } });
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  it('serves the latest checkpoint, and inclusion and consistency proofs that verify against it', async () => {
    const latest = await app.inject({ url: '/api/v1/log/checkpoints/latest', headers: auditor });
    expect(latest.statusCode).toBe(200);
    const { checkpoint } = parseCheckpoint(latest.json<{ note: string }>().note);
    const inclusion = (await app.inject({ url: `/api/v1/log/proof/inclusion/2?size=${checkpoint.size}`, headers: auditor })).json<{ leafHash: string; leafIndex: number; treeSize: number; path: string[]; rootHash: string; entry: { seq: number; seal?: string } }>();
    expect(inclusion.rootHash).toBe(checkpoint.root.toString('hex'));
    expect(verifyInclusion(buf(inclusion.leafHash), inclusion.leafIndex, inclusion.treeSize, inclusion.path.map(buf), checkpoint.root)).toBe(true);
    expect(inclusion.entry.seal).toMatch(/^upgrade [0-9a-f]{64} state=/);
    const consistency = (await app.inject({ url: `/api/v1/log/proof/consistency?from=${checkpoint.size}`, headers: auditor })).json<{ from: number; to: number; fromRoot: string; toRoot: string; proof: string[] }>();
    expect(consistency.to).toBeGreaterThan(checkpoint.size);
    expect(verifyConsistency(checkpoint.size, consistency.to, checkpoint.root, buf(consistency.toRoot), consistency.proof.map(buf))).toBe(true);
    const tree = (await app.inject({ url: '/api/v1/log/tree', headers: auditor })).json<{ treeSize: number; rootHash: string }>();
    expect(tree).toEqual({ treeSize: consistency.to, rootHash: consistency.toRoot });
    expect((await app.inject({ url: '/api/v1/log/checkpoints', headers: auditor })).json<{ checkpoints: unknown[] }>().checkpoints).toHaveLength(1);
    expect((await app.inject({ url: '/api/v1/log/state', headers: auditor })).json()).toMatchObject({ ok: true, findings: [] });
  });

  it('answers 404 for entries and sizes the log does not have, and 401 without a token', async () => {
    expect((await app.inject({ url: '/api/v1/log/proof/inclusion/99999', headers: auditor })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/log/proof/consistency?from=5&to=99999', headers: auditor })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/log/tree?size=99999', headers: auditor })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/log/checkpoints/latest' })).statusCode).toBe(401);
  });
});
