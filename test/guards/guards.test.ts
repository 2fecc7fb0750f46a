import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServiceDrill } from '../../src/app/drills.js';
import { acknowledgeNotes, guardCanaryStart, upgradeNotes, type GuardRoot } from '../../src/app/guards.js';
import { createEventBus, type EventBus } from '../../src/app/events.js';
import { moveUpgrade } from '../../src/app/upgrade-actions.js';
import { factoryConfigSchema } from '../../src/config/schema.js';
import { fixedClock } from '../../src/core/clock.js';
import { UfError } from '../../src/core/errors.js';
import { listDrills } from '../../src/governance/drills/store.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/open.js';
import { importCatalog } from '../../src/store/repos/catalog.js';
import { readLog } from '../../src/store/repos/operation-log.js';
import { addEvidence, applyTransition, createUpgrade, getUpgrade } from '../../src/store/repos/upgrades.js';
import { addUser } from '../../src/store/repos/users.js';
import { component } from '../helpers/fixtures.js';

const clock = fixedClock('2026-12-01T09:00:00.000Z');
let dir: string;
let store: Store;
let root: GuardRoot & { events: EventBus; loaded: { config: ReturnType<typeof factoryConfigSchema.parse>; file: undefined; baseDir: string } };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uf-guards-'));
  store = await openStore({ sqlitePath: join(dir, 'factory.db'), clock });
  root = { store, clock, loaded: { config: factoryConfigSchema.parse({ version: 1, guards: { bundling: { max: 2, per: '24h' }, rollbackDrill: { maxAge: '7d' } }, intake: { releaseGroups: [{ name: 'alpha-train', ecosystem: 'npm', packages: ['alpha', 'alpha-core'] }] } }), file: undefined, baseDir: dir }, events: createEventBus(() => undefined) };
  // checkout and payments are owned by team-a; carol is in it, dave is not.
  await importCatalog(store, { files: ['a.yaml'], entities: [component('checkout'), component('payments')], actor: 'alice' });
  await addUser(store, { name: 'carol', teams: ['team-a'], actor: 'alice' });
  await addUser(store, { name: 'dave', teams: ['team-b'], actor: 'alice' });
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function triaged(name: string, service = 'checkout'): Promise<string> {
  let u = await createUpgrade(store, { ecosystem: 'npm', name, purl: `pkg:npm/${name}`, fromVersions: ['1.0.0'], targetVersion: '1.1.0', services: [service], changeClass: 'normal', createdBy: 'system:intake', reason: 'test' }, clock.now());
  u = await addEvidence(store, u.id, u.version, { kind: 'risk_score', outcome: 'pass', ref: 'rsk', summary: 'scored', recordedBy: 'system:intake', recordedAt: clock.now().toISOString() });
  u = await applyTransition(store, u.id, u.version, { event: 'triage', actor: 'system:intake', reason: 'scored', at: clock.now().toISOString() }, { rollbackDrillMaxAgeDays: 30 });
  return u.id;
}

async function refusal(promise: Promise<unknown>): Promise<UfError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UfError);
  return error as UfError;
}

async function logActions(subject: string): Promise<{ action: string; actor: string; reason: string }[]> {
  const entries = [];
  for await (const entry of readLog(store.db, { subject })) entries.push(entry);
  return entries;
}

describe('releaseNotes guard', () => {
  it('says unknown (not none) without notes, refuses compat with its explanation until an owner acknowledges', async () => {
    const id = await triaged('left-pad');
    const notes = await upgradeNotes(root, id);
    expect(notes.status).toBe('unknown');
    expect(notes.breaking).toBeNull();
    expect(notes.migrations).toBeNull();

    const refused = await refusal(moveUpgrade(root, id, 'start_compat', 'notes read', 'user:carol'));
    expect(refused.code).toBe('guard_refused');
    expect(refused.location?.path).toBe('guards.releaseNotes');
    expect(refused.message).toContain('unknown: no release notes were parsed for left-pad 1.0.0 → 1.1.0');
    expect(refused.message).toContain(`uf upgrades ack-notes ${id}`);
    expect((await logActions(id)).find((e) => e.action === 'guard.refused')?.reason).toContain('guard releaseNotes refused');

    // Not an owner: refused, and nothing recorded.
    const notOwner = await refusal(acknowledgeNotes(root, id, { actor: 'user:dave', roles: ['service-owner'] }));
    expect(notOwner.code).toBe('forbidden');
    expect(notOwner.message).toContain('owner of checkout (group:default/team-a)');
    expect((await upgradeNotes(root, id)).acknowledged).toBeNull();

    const acked = await acknowledgeNotes(root, id, { actor: 'user:carol', roles: ['service-owner'] });
    expect(acked.acknowledged).toMatchObject({ actor: 'user:carol', standing: 'owner of checkout', current: true, at: clock.now().toISOString() });
    expect((await logActions(id)).find((e) => e.action === 'notes.ack')).toMatchObject({ actor: 'user:carol' });
    expect((await moveUpgrade(root, id, 'start_compat', 'notes read', 'user:carol')).state).toBe('compat');
  });

  it('lets an admin acknowledge, and lets compat through with the guard switched off', async () => {
    const id = await triaged('right-pad');
    expect((await acknowledgeNotes(root, id, { actor: 'user:dave', roles: ['admin'] })).acknowledged?.standing).toBe('admin');
    const off = { ...root, loaded: { ...root.loaded, config: factoryConfigSchema.parse({ version: 1, guards: { releaseNotes: { enabled: false } } }) } };
    const other = await triaged('centre-pad');
    await addEvidence(store, other, (await getUpgrade(store.db, other))!.version, { kind: 'release_notes_ack', outcome: 'pass', ref: 'manual', summary: 'read by hand', recordedBy: 'user:carol', recordedAt: clock.now().toISOString() });
    expect((await moveUpgrade(off, other, 'start_compat', 'guard off', 'user:carol')).state).toBe('compat');
  });
});

describe('rollback drills and the rollbackDrill guard', () => {
  it('runs a real drill through the built-in router: canary answers, rollback timed, stable answers every request after', async () => {
    const drill = await runServiceDrill(root, { service: 'payments', actor: 'user:carol', weight: 30, verifyRequests: 60 });
    expect(drill.outcome, drill.summary).toBe('pass');
    expect(drill.rollbackMs).not.toBeNull();
    expect(drill.rollbackMs!).toBeGreaterThanOrEqual(0);
    expect(drill.rollbackMs!).toBeLessThan(10_000);
    const [before, canary, after] = drill.report.phases;
    expect(before!.answers).toEqual({ 'payments-stable': 20 });
    expect(canary!.weight).toBe(30);
    expect(canary!.answers['payments-canary']).toBeGreaterThan(0);
    expect(canary!.answers['payments-stable']).toBeGreaterThan(0);
    expect(after).toMatchObject({ weight: 0, requests: 60, answers: { 'payments-stable': 60 } });
    expect((await listDrills(store.db, { service: 'PAYMENTS' }))[0]?.id).toBe(drill.id);
    expect((await logActions('payments')).find((e) => e.action === 'drill.pass')?.reason).toContain(`rolled back in ${drill.rollbackMs} ms`);
  }, 60_000);

  it('records a failing drill when stable and canary cannot be told apart', async () => {
    const { startSampleService } = await import('../../src/proxy/sample-service.js');
    const [a, b] = await Promise.all([startSampleService({ version: 'same' }), startSampleService({ version: 'same' })]);
    try {
      const drill = await runServiceDrill(root, { service: 'payments', actor: 'user:carol', stable: a.url, canary: b.url });
      expect(drill.outcome).toBe('fail');
      expect(drill.summary).toContain('cannot tell them apart');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);

  it('refuses a canary without a drill, or with one too old, and lets it through after a fresh one, citing it', async () => {
    const id = await triaged('drilled', 'checkout');
    const upgrade = (await getUpgrade(store.db, id))!;
    const none = await refusal(guardCanaryStart(root, upgrade, 'checkout', 'user:alice'));
    expect(none.code).toBe('guard_refused');
    expect(none.location?.path).toBe('guards.rollbackDrill');
    expect(none.message).toContain('needs a passing rollback drill of checkout newer than 7d, and checkout has none; run one: uf drill run checkout');
    expect((await logActions(id)).filter((e) => e.action === 'guard.refused')).toHaveLength(1);

    const drill = await runServiceDrill(root, { service: 'checkout', actor: 'user:carol' });
    expect(drill.outcome).toBe('pass');
    clock.advance(8 * 86_400_000);
    const old = await refusal(guardCanaryStart(root, upgrade, 'checkout', 'user:alice'));
    expect(old.message).toContain(`the newest (${drill.id}, ${drill.finishedAt}) is 8d old`);

    const fresh = await runServiceDrill(root, { service: 'checkout', actor: 'user:carol' });
    const guarded = await guardCanaryStart(root, upgrade, 'checkout', 'user:alice');
    expect(guarded.evidence.at(-1)).toMatchObject({ kind: 'rollback_drill', outcome: 'pass', ref: `drill:${fresh.id}` });
  }, 60_000);
});

describe('bundling guard', () => {
  it('refuses a third unrelated upgrade on one service within 24h, counts related ones once, and lets it through once the window passed', async () => {
    clock.advance(2 * 86_400_000);
    await runServiceDrill(root, { service: 'checkout', actor: 'user:carol' });
    const started = async (name: string) => {
      const id = await triaged(name);
      await store.db.insertInto('rollouts').values(rolloutRow(id, clock.now().toISOString())).execute();
      return id;
    };
    const first = await started('alpha');
    await started('beta');
    // alpha-core is released with alpha (one release group): related to the first, it counts once with it.
    const alphaAgain = await triaged('alpha-core');
    await guardCanaryStart(root, (await getUpgrade(store.db, alphaAgain))!, 'checkout', 'user:alice');

    const gamma = (await getUpgrade(store.db, await triaged('gamma')))!;
    const refused = await refusal(guardCanaryStart(root, gamma, 'checkout', 'user:alice'));
    expect(refused.code).toBe('guard_refused');
    expect(refused.location?.path).toBe('guards.bundling');
    expect(refused.message).toContain('would make 3 unrelated upgrades rolling out on service checkout within 1d, and the limit is 2');
    expect(refused.message).toContain(first);
    expect(refused.message).toContain('raise guards.bundling.max');
    // payments is owned by the same team: the team's count is the same.
    const teamRefused = await refusal(guardCanaryStart(root, { ...gamma, services: ['payments'] }, 'payments', 'user:alice'));
    expect(teamRefused.message).toContain('on team group:default/team-a');

    clock.advance(86_400_000 + 1000);
    await runServiceDrill(root, { service: 'checkout', actor: 'user:carol' });
    expect((await guardCanaryStart(root, gamma, 'checkout', 'user:alice')).id).toBe(gamma.id);
  }, 120_000);
});

function rolloutRow(upgradeId: string, at: string) {
  return { id: `rol_${upgradeId.slice(4, 20)}`, upgrade_id: upgradeId, attempt: 1, service: 'checkout', state: '{}', phase: 'running', version: 1, created_at: at, updated_at: at };
}
