import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../src/api/server.js';
import { buildRoot, type AppRoot } from '../src/app/root.js';
import { createRollouts, type RolloutView } from '../src/app/rollouts.js';
import { loadConfig } from '../src/config/load.js';
import { steppingClock } from '../src/core/clock.js';
import type { SampleService } from '../src/proxy/sample-service.js';
import { startRouterHost, type RouterHost } from '../src/proxy/worker/host.js';
import { readLog, verifyLog } from '../src/store/repos/operation-log.js';
import { verifyStateRows } from '../src/store/repos/state-seals.js';
import { createToken } from '../src/store/repos/tokens.js';
import { addUser } from '../src/store/repos/users.js';
import { addEvidence, getUpgrade } from '../src/store/repos/upgrades.js';
import { createInProcessBuiltinRouter } from '../src/traffic/routers/builtin/in-process.js';
import { startVersions } from '../src/traffic/routers/builtin/testing.js';
import type { Upstream } from '../src/traffic/traffic-router.contract.js';
import { upgradeInCompat } from './helpers/upgrades.js';

/**
 * Every way around segregation of duties we could think of, tried through the REST API on a real
 * SQLite file with a real built-in router: the requester and the implementer approving, a body
 * naming someone else, a replayed approval, an approval of a scope that changed, an approver
 * outside the change board, an approver starting the rollout, the initiator promoting it, an
 * emergency change reviewed by its requester. None gets through, and each refusal is logged.
 */

interface Change {
  id: string;
  status: string;
  requestedBy: string;
  implementer: string;
  scopeDigest: string;
  approvalsGiven: number;
  rule: { count: number; board: boolean; why: string };
  approvals: { by: string; decision: string; voidedAt: string | null }[];
  reviewDueAt: string | null;
  reviewOverdue: boolean;
  reviewedBy: string | null;
}

async function entries(root: AppRoot) {
  const log = [];
  for await (const entry of readLog(root.store.db)) log.push(entry);
  return log;
}

describe('change requests: segregation of duties through the API', () => {
  let dir: string;
  let root: AppRoot;
  let app: FastifyInstance;
  let host: RouterHost;
  let versions: Record<Upstream, SampleService>;
  const secrets: Record<string, string> = {};

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-changes-sod-'));
    writeFileSync(
      join(dir, 'factory.yaml'),
      stringify({
        version: 1,
        name: 'changes-sod-test',
        store: { path: 'factory.db' },
        deployers: [{ service: 'checkout', kind: 'sample', health: { intervalMs: 50, timeoutMs: 10_000 } }],
        // Starting a rollout needs a valid policy; nothing here reconciles, so the metric source is never asked.
        rollout: {
          analyses: { slo: { interval: '1m', metrics: [{ name: 'p95_latency', source: { kind: 'http-json', url: 'http://127.0.0.1:9/kpi/{{variant}}', path: '$.p95' } }], judge: { kind: 'threshold', checks: [{ metric: 'p95_latency', max: 250 }] } } },
          defaults: { analysis: 'slo', minDuration: '2m', maxDuration: '1h', minSamples: 100 },
        },
        changes: { board: { members: ['alice', 'adam', 'team:cab'], quorum: 2 }, emergency: { approvals: 1, reviewWithin: '5m' } },
      }),
    );
    // Every clock read moves 10 s on.
    const clock = steppingClock('2026-12-01T09:00:00.000Z', 10_000);
    root = await buildRoot(loadConfig(join(dir, 'factory.yaml')), { clock, logger: pino({ level: 'silent' }), env: {} });
    versions = await startVersions();
    host = await startRouterHost(
      [{ service: 'checkout', listen: { host: '127.0.0.1', port: 0 }, stable: versions.stable.url, canary: versions.canary.url, baseline: versions.baseline.url, canaryWeight: 0 }],
      { logger: pino({ level: 'silent' }) },
    );
    const router = createInProcessBuiltinRouter(host.routers[0]!);
    const rollouts = createRollouts(root, { routerFor: (service) => (service === 'checkout' ? router : undefined) });
    app = await buildServer({ store: root.store, config: root.loaded.config, loaded: root.loaded, root, rollouts });
    await addUser(root.store, { name: 'carl', teams: ['cab'], actor: 'user:setup' });
    const people = [['olga', 'operator'], ['alice', 'approver'], ['adam', 'admin'], ['carl', 'approver'], ['dave', 'approver'], ['vic', 'viewer'], ['aud', 'auditor']] as const;
    for (const [user, role] of people) secrets[user] = (await createToken(root.store, { name: user, role, actor: 'user:setup', user })).secret;
  });

  afterEach(async () => {
    await app.close();
    await host.close();
    await Promise.all(Object.values(versions).map((v) => v.close()));
    await root.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (user: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${secrets[user]}` }, ...(payload === undefined ? {} : { payload }) });
  const message = (response: { json<T>(): T }) => response.json<{ message: string }>().message;

  /** An upgrade in compat with its compatibility recorded and no change record yet. */
  async function upgradeReady(changeClass: 'normal' | 'emergency' = 'normal'): Promise<string> {
    const id = await upgradeInCompat(root.store, { clock: root.clock, services: ['checkout'], changeClass, authorize: false, actor: 'user:olga' });
    const u = await getUpgrade(root.store.db, id);
    await addEvidence(root.store, id, u!.version, { kind: 'compat_matrix', outcome: 'pass', ref: 'ref:compat', summary: 'compat', recordedBy: 'user:olga', recordedAt: root.clock.now().toISOString() });
    return id;
  }

  it('refuses the requester, the implementer, forged and replayed approvals, stale scopes and approvers off the board; an approver cannot start, the initiator cannot promote', async () => {
    const upgradeId = await upgradeReady();
    // Nothing starts without an authorized change.
    const early = await call('olga', 'POST', '/api/v1/rollouts', { upgradeId });
    expect(early.statusCode, early.body).toBe(409);
    expect(message(early)).toContain('change_authorized');

    const opened = await call('olga', 'POST', '/api/v1/changes', { upgradeId });
    expect(opened.statusCode, opened.body).toBe(201);
    const change = opened.json<Change>();
    expect(change).toMatchObject({ status: 'awaiting-approval', requestedBy: 'user:olga', implementer: 'user:olga', rule: { count: 2, board: true } });
    const approve = (user: string, body: Record<string, unknown> = {}) => call(user, 'POST', `/api/v1/changes/${change.id}/approve`, body);

    // Read-only roles never reach the rules.
    for (const user of ['vic', 'aud']) expect((await approve(user)).statusCode).toBe(403);
    // A body naming the approver or a role is refused outright, whoever sends it.
    for (const forged of [{ by: 'user:adam' }, { role: 'admin' }, { approvedBy: 'user:adam', reason: 'ok' }]) {
      const answer = await approve('alice', forged);
      expect(answer.statusCode, JSON.stringify(forged)).toBe(400);
    }
    // The requester (also the implementer until someone else starts it).
    const own = await approve('olga');
    expect(own.statusCode).toBe(403);
    expect(message(own)).toContain('user:olga requested this change and cannot approve or reject it');
    // An approver who is not on the change board the risk needs.
    const offBoard = await approve('dave');
    expect(offBoard.statusCode).toBe(403);
    expect(message(offBoard)).toContain('user:dave is not on the change board');

    const first = await approve('alice', { scopeDigest: change.scopeDigest, reason: 'plans read' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<Change>()).toMatchObject({ status: 'awaiting-approval', approvalsGiven: 1 });
    // The same approval again: one decision per person and scope.
    const replay = await approve('alice', { scopeDigest: change.scopeDigest, reason: 'plans read' });
    expect(replay.statusCode).toBe(409);
    expect(message(replay)).toContain('already decided');

    // The requester widens the scope: alice's approval is void, and her old digest no longer approves anything.
    const edited = await call('olga', 'POST', `/api/v1/changes/${change.id}/edit`, { backoutPlan: 'Weight 0, then redeploy the previous image by digest.' });
    expect(edited.statusCode, edited.body).toBe(200);
    const after = edited.json<Change>();
    expect(after.scopeDigest).not.toBe(change.scopeDigest);
    expect(after.approvals).toEqual([expect.objectContaining({ by: 'user:alice', voidedAt: expect.any(String) })]);
    expect(after.approvalsGiven).toBe(0);
    const stale = await approve('alice', { scopeDigest: change.scopeDigest });
    expect(stale.statusCode).toBe(409);
    expect(message(stale)).toContain('its scope changed since the approver looked');

    // carl sits on the board through his team; adam (admin) by name: the quorum is met.
    expect((await approve('carl', { scopeDigest: after.scopeDigest })).statusCode).toBe(200);
    const authorized = await approve('adam', { scopeDigest: after.scopeDigest });
    expect(authorized.json<Change>()).toMatchObject({ status: 'authorized', approvalsGiven: 2 });
    expect((await approve('alice', { scopeDigest: after.scopeDigest })).statusCode).toBe(409);

    // An approver cannot become the implementer, by starting the rollout or by an edit.
    const approverStarts = await call('adam', 'POST', '/api/v1/rollouts', { upgradeId });
    expect(approverStarts.statusCode).toBe(403);
    expect(message(approverStarts)).toContain('user:adam approved it and cannot also start its rollout');
    const handOver = await call('olga', 'POST', `/api/v1/changes/${change.id}/edit`, { implementer: 'user:carl' });
    expect(handOver.statusCode).toBe(403);
    expect(message(handOver)).toContain('user:carl approved or rejected it and cannot implement it');

    // The requester implements it; having started it, she cannot promote it.
    const started = await call('olga', 'POST', '/api/v1/rollouts', { upgradeId });
    expect(started.statusCode, started.body).toBe(201);
    const rollout = started.json<RolloutView>();
    const promote = await call('olga', 'POST', `/api/v1/rollouts/${rollout.id}/promote`, { reason: 'in a hurry' });
    expect(promote.statusCode).toBe(403);
    expect(message(promote)).toContain('user:olga started this rollout and cannot promote it');

    const log = await entries(root);
    const refused = log.filter((e) => e.action === 'change.refused' && e.subject === change.id);
    expect(refused.map((e) => e.actor)).toEqual(['user:olga', 'user:dave', 'user:alice', 'user:alice', 'user:alice']);
    expect(log.filter((e) => e.action === 'change.authorize').map((e) => e.actor)).toEqual(['user:adam']);
    expect((await verifyLog(root.store.db)).ok).toBe(true);
    // Every change and approval row matches the seal of its latest log entry.
    expect(await verifyStateRows(root.store.db)).toMatchObject({ ok: true, findings: [] });
  }, 60_000);

  it('an emergency change skips the board, is flagged when its review is overdue, and its requester cannot review it', async () => {
    const upgradeId = await upgradeReady('emergency');
    const opened = (await call('olga', 'POST', '/api/v1/changes', { upgradeId })).json<Change>();
    expect(opened.rule).toMatchObject({ count: 1, board: false });
    // dave is on no board, and an emergency needs none.
    expect((await call('dave', 'POST', `/api/v1/changes/${opened.id}/approve`, {})).json<Change>().status).toBe('authorized');
    expect(opened.reviewDueAt).not.toBeNull();
    expect((await call('vic', 'GET', '/api/v1/changes?overdue=true')).json<{ items: Change[] }>().items).toEqual([]);
    // The stepping clock passes the 5-minute deadline after 30 reads.
    for (let i = 0; i < 31; i++) root.clock.now();
    const overdue = (await call('vic', 'GET', '/api/v1/changes?overdue=true')).json<{ items: Change[] }>().items;
    expect(overdue.map((c) => [c.id, c.reviewOverdue])).toEqual([[opened.id, true]]);

    const own = await call('olga', 'POST', `/api/v1/changes/${opened.id}/review`, { notes: 'all good' });
    expect(own.statusCode).toBe(403);
    const reviewed = await call('alice', 'POST', `/api/v1/changes/${opened.id}/review`, { notes: 'root cause understood; backout tested' });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json<Change>()).toMatchObject({ reviewedBy: 'user:alice', reviewOverdue: false });
    expect((await entries(root)).find((e) => e.action === 'change.review')?.reason).toContain('(late: it was due');
    expect((await call('carl', 'POST', `/api/v1/changes/${opened.id}/review`, { notes: 'again' })).statusCode).toBe(409);
  }, 60_000);
});
