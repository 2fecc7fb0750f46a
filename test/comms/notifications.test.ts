import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudEvent, HTTP } from 'cloudevents';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeDeps } from '../../src/app/changes.js';
import { deliveryDeps } from '../../src/app/notifications.js';
import { decideChange } from '../../src/governance/changes/service.js';
import { moveUpgrade } from '../../src/app/upgrade-actions.js';
import { buildRoot } from '../../src/app/root.js';
import { loadConfig } from '../../src/config/load.js';
import { fixedClock } from '../../src/core/clock.js';
import { UfError } from '../../src/core/errors.js';
import { deliverDue } from '../../src/governance/notifiers/deliver.js';
import { verifySignature } from '../../src/governance/notifiers/signature.js';
import { listAttempts, listDeliveries } from '../../src/governance/notifiers/store.js';
import { addEvidence, applyTransition, createUpgrade } from '../../src/store/repos/upgrades.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const secret = 'whsec-test-4f1c2a';
const t0 = '2026-12-01T09:00:00.000Z';

/** A real HTTP receiver on loopback: each path answers 500 the first time, then 200. */
function startReceiver(): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const answered = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      const key = `${path} ${String(req.headers['x-uf-delivery'])}`;
      const first = !answered.has(key);
      answered.add(key);
      res.writeHead(first ? 500 : 200).end(first ? 'try later' : 'ok');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, received })));
}

function writeConfig(dir: string, port: number): string {
  const file = join(dir, 'factory.yaml');
  writeFileSync(
    file,
    [
      'version: 1',
      'name: comms-test',
      '# Not a test of the guards (test/guards covers them): compat starts without the notes acknowledgment.',
      'guards: { releaseNotes: { enabled: false } }',
      'notifications:',
      '  allowHosts: [127.0.0.1]',
      '  source: https://uf.example.com',
      '  delivery: { maxAttempts: 3, initialBackoff: 10s, maxBackoff: 1m, timeout: 5s }',
      '  targets:',
      `    - { name: hooks, url: "http://127.0.0.1:${port}/ce", secretEnv: HOOK_SECRET, events: ["gate.*", "maintenance.*", "change.*"] }`,
      `    - { name: chat, url: "http://127.0.0.1:${port}/slack", format: slack, events: [gate.opened] }`,
      '    - { name: elsewhere, urlEnv: ELSEWHERE_URL }',
      'maintenance:',
      '  services:',
      '    checkout: { displayName: "Checkout <b>&</b> Pay", sla: { availability: 99.9 } }',
      '',
    ].join('\n'),
  );
  return file;
}

describe('gate-event webhooks to a real receiver', () => {
  let dir: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const env = { HOOK_SECRET: secret, ELSEWHERE_URL: 'https://hooks.attacker.example/x' };
  const clock = fixedClock(t0);
  const logger = pino({ level: 'silent' });
  let configFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-comms-'));
    receiver = await startReceiver();
    configFile = writeConfig(dir, receiver.port);
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues gate events in one process and delivers them from another: signed, retried after a 500, refused outside the allow-list', async () => {
    // Process 1: an upgrade passes the compat gate and later its canary; the root closes.
    const first = await buildRoot(loadConfig(configFile), { clock, logger, env });
    let upgradeId: string;
    try {
      let u = await createUpgrade(first.store, { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash', fromVersions: ['1.0.0'], targetVersion: '1.1.0', services: ['checkout'], changeClass: 'normal', createdBy: 'system:intake', reason: 'test' }, clock.now());
      upgradeId = u.id;
      const evidence = (kind: 'risk_score' | 'release_notes_ack') => ({ kind, outcome: 'pass' as const, ref: `ref:${kind}`, summary: kind, recordedBy: 'user:carol', recordedAt: clock.now().toISOString() });
      u = await addEvidence(first.store, u.id, u.version, evidence('risk_score'));
      u = await applyTransition(first.store, u.id, u.version, { event: 'triage', actor: 'user:carol', reason: 'test', at: clock.now().toISOString() }, { rollbackDrillMaxAgeDays: 30 });
      u = await addEvidence(first.store, u.id, u.version, evidence('release_notes_ack'));
      await moveUpgrade(first, u.id, 'start_compat', 'notes read', 'user:carol');
      // The change record opened with compat; never scored, so the board's quorum of 2 authorizes it.
      for (const by of ['user:dana', 'user:erin']) await decideChange(changeDeps(first), u.id, { by, roles: ['approver'], decision: 'approve' });
      // The canary gate (the rollout engine's move), as the bus carries it.
      first.events.publish({ type: 'upgrade.transitioned', upgradeId: u.id, to: 'canary', actor: 'system:rollout', reason: 'change authorized', at: clock.now().toISOString() });
    } finally {
      await first.close();
    }

    // Process 2: a fresh root on the same store sends what is pending.
    const second = await buildRoot(loadConfig(configFile), { clock, logger, env });
    try {
      const pending = await listDeliveries(second.store.db, { status: 'pending' });
      // hooks and elsewhere ("*"): gate.opened (compat), change.opened, 2 × change.approved, change.authorized, gate.opened (canary),
      // maintenance.started; chat: both gate.opened.
      const each = ['gate.opened', 'change.opened', 'change.approved', 'change.approved', 'change.authorized', 'gate.opened', 'maintenance.started'];
      expect(pending.map((d) => `${d.target} ${d.eventType}`).sort()).toEqual(
        ['chat dev.upgradefactory.gate.opened', 'chat dev.upgradefactory.gate.opened', ...['hooks', 'elsewhere'].flatMap((t) => each.map((e) => `${t} dev.upgradefactory.${e}`))].sort(),
      );
      const deps = { ...deliveryDeps({ ...second, env }), random: () => 0 };
      const round1 = await deliverDue(deps);
      expect(round1.filter((a) => a.outcome === 'retry').map((a) => a.statusCode)).toEqual(Array(9).fill(500));
      expect(round1.filter((a) => a.outcome === 'refused').map((a) => a.target)).toEqual(Array(7).fill('elsewhere'));
      expect(round1.find((a) => a.outcome === 'refused')?.error).toBe("host 'hooks.attacker.example' is not in notifications.allowHosts");
      // Backoff: with no jitter the first retry waits half of 10s.
      expect(round1.find((a) => a.outcome === 'retry')?.nextAttemptAt).toBe('2026-12-01T09:00:05.000Z');
      expect(await deliverDue(deps)).toEqual([]); // not due yet
      clock.advance(5_000);
      const round2 = await deliverDue(deps);
      expect(round2.map((a) => a.outcome)).toEqual(Array(9).fill('delivered'));
      expect((await listDeliveries(second.store.db, { status: 'pending' })).length).toBe(0);

      // The receiver side: CloudEvents with the spec's required attributes, and a valid signature.
      const ce = receiver.received.filter((r) => r.path === '/ce');
      expect(ce.length).toBe(14);
      for (const request of ce) {
        expect(request.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
        const check = verifySignature(secret, String(request.headers['x-uf-signature']), request.body, { nowSeconds: Math.floor(clock.now().getTime() / 1000) });
        expect(check.ok).toBe(true);
        expect(verifySignature('wrong-secret', String(request.headers['x-uf-signature']), request.body, { nowSeconds: Math.floor(clock.now().getTime() / 1000) }).ok).toBe(false);
        expect(verifySignature(secret, String(request.headers['x-uf-signature']), `${request.body} `, { nowSeconds: Math.floor(clock.now().getTime() / 1000) }).ok).toBe(false);
        const parsed = JSON.parse(request.body) as Record<string, unknown>;
        expect(parsed.specversion).toBe('1.0');
        expect(typeof parsed.id).toBe('string');
        expect(parsed.source).toBe('https://uf.example.com');
        expect(String(parsed.type)).toMatch(/^dev\.upgradefactory\./);
        const event = HTTP.toEvent({ headers: request.headers, body: request.body }) as CloudEvent<Record<string, unknown>>;
        expect(event.validate()).toBe(true);
        expect(event.subject).toBe(String(event.type).startsWith('dev.upgradefactory.change.') ? (event.data as { changeId: string }).changeId : upgradeId);
        if (String(event.type).startsWith('dev.upgradefactory.change.')) expect((event.data as { upgradeId: string }).upgradeId).toBe(upgradeId);
      }
      const types = ce.map((r) => (JSON.parse(r.body) as { type: string; data: { gate?: string } }));
      expect(types.filter((e) => e.type === 'dev.upgradefactory.gate.opened').map((e) => e.data.gate).sort()).toEqual(['canary', 'canary', 'compat', 'compat']);
      // Each was received twice (a 500, then the retry): the first round holds each once.
      expect(types.slice(0, 7).filter((e) => e.type.startsWith('dev.upgradefactory.change.')).map((e) => e.type.slice('dev.upgradefactory.'.length)).sort()).toEqual(['change.approved', 'change.approved', 'change.authorized', 'change.opened']);
      const maintenance = types.find((e) => e.type === 'dev.upgradefactory.maintenance.started') as unknown as { data: { markdown: string; services: string[] } };
      expect(maintenance.data.services).toEqual(['checkout']);
      expect(maintenance.data.markdown).toContain('Checkout \\<b\\>&\\</b\\> Pay');
      expect(maintenance.data.markdown).toContain('SLA 99.9% over 30d allows 43m12s of downtime');

      // Slack format: text and blocks, unsigned (no secret configured).
      const slack = receiver.received.filter((r) => r.path === '/slack');
      expect(slack.length).toBe(4);
      const message = JSON.parse(slack.at(-1)!.body) as { text: string; blocks: { type: string }[] };
      expect(message.text).toMatch(/^\[upgrade factory\] Upgrade upg_\w+ entered (compat|canary)$/);
      expect(message.blocks[0]!.type).toBe('section');
      expect(slack.at(-1)!.headers['x-uf-signature']).toBeUndefined();

      // The delivery log: every attempt, no secret, no URL.
      const log = await listAttempts(second.store.db, { limit: 100 });
      expect(log.length).toBe(25);
      const text = JSON.stringify(log);
      expect(text).not.toContain(secret);
      expect(text).not.toContain('127.0.0.1');
    } finally {
      await second.close();
    }
  });

  it('gives up after maxAttempts on a receiver that cannot be reached', async () => {
    const unreachable = { HOOK_SECRET: secret, ELSEWHERE_URL: `http://127.0.0.1:1/unreachable` };
    const root = await buildRoot(loadConfig(configFile), { clock, logger, env: unreachable });
    try {
      root.events.publish({ type: 'upgrade.transitioned', upgradeId: 'upg_x', to: 'rejected', actor: 'user:carol', reason: 'not needed', at: clock.now().toISOString() });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const deps = { ...deliveryDeps({ ...root, env: unreachable }), random: () => 0 };
      const outcomes: string[] = [];
      for (let i = 0; i < 4; i++) {
        outcomes.push(...(await deliverDue(deps)).filter((a) => a.target === 'elsewhere').map((a) => `${a.attempt}:${a.outcome}`));
        clock.advance(60_000);
      }
      expect(outcomes).toEqual(['1:retry', '2:retry', '3:failed']);
      const last = (await listAttempts(root.store.db, { target: 'elsewhere', limit: 1 }))[0]!;
      expect(last.error).toMatch(/could not reach the receiver .*\(gave up after 3 attempts\)/);
    } finally {
      await root.close();
    }
  });

  it('refuses a target outside allowHosts when the config loads, naming the file, line and field', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 1\nnotifications:\n  allowHosts: [hooks.example.com]\n  targets:\n    - name: x\n      url: https://evil.example.net/hook\n');
    let error: unknown;
    try {
      loadConfig(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UfError);
    const text = (error as UfError).describe();
    expect(text).toContain(`${file}:6`);
    expect(text).toContain('notifications.targets[0].url');
    expect(text).toContain("host 'evil.example.net' is not in notifications.allowHosts");
  });
});

describe("a receiver's Retry-After", () => {
  it('waits as long as a 429 or 503 asks (seconds or an HTTP-date), never less than the backoff, at most maxRetryAfter', async () => {
    const answers = [
      { status: 429, retryAfter: '120' },
      { status: 503, retryAfter: 'Tue, 01 Dec 2026 09:30:00 GMT' },
      { status: 503, retryAfter: '86400' },
      { status: 429, retryAfter: '1' },
      { status: 200 },
    ];
    let calls = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const answer = answers[Math.min(calls++, answers.length - 1)]!;
        res.writeHead(answer.status, answer.retryAfter ? { 'retry-after': answer.retryAfter } : {}).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'uf-retry-after-'));
    const file = join(dir, 'factory.yaml');
    writeFileSync(
      file,
      ['version: 1', 'notifications:', '  allowHosts: [127.0.0.1]', '  delivery: { maxAttempts: 8, initialBackoff: 10s, maxBackoff: 1m, maxRetryAfter: 2h }', '  targets:', `    - { name: hooks, url: "http://127.0.0.1:${port}/ce" }`, ''].join('\n'),
    );
    const clock = fixedClock('2026-12-01T09:00:00.000Z');
    const root = await buildRoot(loadConfig(file), { clock, logger: pino({ level: 'silent' }), env: {} });
    try {
      root.events.publish({ type: 'upgrade.transitioned', upgradeId: 'upg_y', to: 'rejected', actor: 'user:carol', reason: 'test', at: clock.now().toISOString() });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const deps = { ...deliveryDeps({ ...root, env: {} }), random: () => 0 };
      const waits: string[] = [];
      for (let round = 0; round < 5; round++) {
        const [attempt] = await deliverDue(deps);
        waits.push(`${attempt!.statusCode} ${attempt!.nextAttemptAt === null ? '-' : (Date.parse(attempt!.nextAttemptAt) - clock.now().getTime()) / 1000}`);
        if (attempt!.nextAttemptAt) clock.advance(Date.parse(attempt!.nextAttemptAt) - clock.now().getTime());
      }
      // 120 s asked (backoff 5 s); until 09:30 asked at 09:02 (28 min); a day asked, 2h allowed; 1 s asked, the 4th backoff's 30 s kept.
      expect(waits).toEqual(['429 120', '503 1680', '503 7200', '429 30', '200 -']);
      expect((await listAttempts(root.store.db, { limit: 5 }))[4]!.error).toBe('the receiver answered 429 (Retry-After 120s)');
    } finally {
      await root.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
