import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRoot } from '../../src/app/root.js';
import { loadConfig } from '../../src/config/load.js';
import { systemClock } from '../../src/core/clock.js';
import { verifySignature } from '../../src/governance/notifiers/signature.js';
import { runUf } from '../helpers/cli.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';

describe('uf notify and uf maintenance', () => {
  let dir: string;
  let server: Server;
  const bodies: { body: string; signature: string }[] = [];
  let upgradeId: string;
  const env = { HOOK_SECRET: 'cli-secret-9d2' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-comms-cli-'));
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push({ body, signature: String(req.headers['x-uf-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(
      join(dir, 'factory.yaml'),
      ['version: 1', 'notifications:', '  allowHosts: [127.0.0.1]', '  targets:', `    - { name: hooks, url: "http://127.0.0.1:${port}/", secretEnv: HOOK_SECRET }`, 'maintenance:', '  services:', '    checkout: { sla: { availability: 99.9 } }', ''].join('\n'),
    );
    // A gate event queued by one process (the outbox), left for the CLI to deliver.
    const root = await buildRoot(loadConfig(join(dir, 'factory.yaml')), { clock: systemClock, logger: pino({ level: 'silent' }), env });
    try {
      upgradeId = await upgradeAtCompat(root.store, { clock: systemClock });
      root.events.publish({ type: 'upgrade.transitioned', upgradeId, to: 'compat', actor: 'user:carol', reason: 'notes read', at: new Date().toISOString() });
    } finally {
      await root.close();
    }
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the pending notification, signed, and shows it in the log', async () => {
    const deliver = await runUf(['notify', 'deliver', '--json'], { cwd: dir, env });
    expect(deliver.stderr).toBe('');
    expect(deliver.code).toBe(0);
    expect((JSON.parse(deliver.stdout) as { outcome: string }[]).map((a) => a.outcome)).toEqual(['delivered']);
    expect(bodies.length).toBe(1);
    expect(verifySignature(env.HOOK_SECRET, bodies[0]!.signature, bodies[0]!.body, { nowSeconds: Math.floor(Date.now() / 1000) }).ok).toBe(true);
    const log = await runUf(['notify', 'log', '--json'], { cwd: dir });
    expect(log.code).toBe(0);
    const items = JSON.parse(log.stdout) as { target: string; outcome: string; statusCode: number; eventType: string }[];
    expect(items).toMatchObject([{ target: 'hooks', outcome: 'delivered', statusCode: 204, eventType: 'dev.upgradefactory.gate.opened' }]);
    expect(log.stdout).not.toContain(env.HOOK_SECRET);
    // Nothing is due any more.
    expect((await runUf(['notify', 'deliver'], { cwd: dir, env })).stdout.trim()).toBe('nothing due');
  }, 60_000);

  it('prints the maintenance note and the feed, and refuses an unknown format', async () => {
    const md = await runUf(['maintenance', 'note', upgradeId], { cwd: dir });
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Planned maintenance: checkout\n/);
    expect(md.stdout).toContain('SLA 99.9% over 30d allows 43m12s of downtime');
    const html = await runUf(['maintenance', 'note', upgradeId, '--format', 'html'], { cwd: dir });
    expect(html.stdout).toContain('<h1>Planned maintenance: checkout</h1>');
    const feed = await runUf(['maintenance', 'feed'], { cwd: dir });
    expect(feed.code).toBe(0);
    expect(feed.stdout).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect((await runUf(['maintenance', 'note', upgradeId, '--format', 'pdf'], { cwd: dir })).code).toBe(2);
  }, 60_000);
});
