import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runUf } from './helpers/cli.js';

describe('uf command line', () => {
  let dir: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-cli-'));
    for (const name of ['catalog-info.yaml', 'broken-catalog.yaml', 'payments.production.cdx.json', 'payments.staging.cdx.json', 'malformed.cdx.json']) {
      copyFileSync(fixture(name), join(dir, name));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help with exit 0, and exits 2 on an unknown command or option', async () => {
    expect((await uf('--help')).code).toBe(0);
    const unknown = await uf('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect((await uf('log', 'export', '--format', 'xml')).code).toBe(2);
  });

  it('writes a starter factory.yaml once, and refuses to overwrite it', async () => {
    expect((await uf('init')).code).toBe(0);
    expect(readFileSync(join(dir, 'factory.yaml'), 'utf8')).toContain('rollbackDrillMaxAgeDays: 30');
    const again = await uf('init');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('factory.yaml already exists');
  });

  it('refuses a bad config naming file, line and key', async () => {
    const bad = join(dir, 'bad.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'version: 1\nserver:\n  port: seventy\n');
    const result = await uf('--config', bad, 'upgrades', 'list');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:3: server\.port: .*number/);
  });

  it('imports a good catalog and refuses a broken one, naming its line, storing nothing from it', async () => {
    const result = await uf('catalog', 'import', 'catalog-info.yaml', 'broken-catalog.yaml');
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('catalog-info.yaml: 2 entities (2 added');
    expect(result.stderr).toMatch(/broken-catalog\.yaml:8:\d+: invalid YAML/);
    const list = JSON.parse((await uf('catalog', 'list', '--json')).stdout) as { name: string }[];
    expect(list.map((e) => e.name)).toEqual(['payments', 'shop-web']);
    const dependents = JSON.parse((await uf('catalog', 'dependents', 'payments', '--json')).stdout);
    expect(dependents).toEqual([{ ref: 'component:default/shop-web', depth: 1, path: ['component:default/payments', 'component:default/shop-web'] }]);
  });

  it('imports inventories, refuses malformed JSON with its position, and shows drift', async () => {
    const bad = await uf('inventory', 'import', 'malformed.cdx.json', '--service', 'payments', '--environment', 'production');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/malformed\.cdx\.json:5:\d+: invalid JSON/);
    const unknownService = await uf('inventory', 'import', 'payments.production.cdx.json', '--service', 'paymnts', '--environment', 'production');
    expect(unknownService.code).toBe(2);
    expect(unknownService.stderr).toContain("service 'paymnts' is not in the catalog (the catalog's 2 services do not include it); import the catalog-info.yaml that defines it first");
    const prod = await uf('inventory', 'import', 'payments.production.cdx.json', '--service', 'payments', '--environment', 'production');
    expect(prod.code).toBe(0);
    expect(prod.stdout).toContain('payments/production: 3 components');
    expect((await uf('inventory', 'import', 'payments.staging.cdx.json', '--service', 'payments', '--environment', 'staging')).code).toBe(0);
    const components = JSON.parse((await uf('inventory', 'list', '--service', 'payments', '--environment', 'production', '--json')).stdout);
    expect(components.find((c: { name: string }) => c.name === 'qs')).toMatchObject({ direct: false, purl: 'pkg:npm/qs@6.7.0' });
    const drift = JSON.parse((await uf('inventory', 'drift', '--json')).stdout);
    expect(drift).toEqual([{ service: 'payments', ecosystem: 'npm', name: 'lodash', versions: { staging: ['4.17.21'], production: ['4.17.15'] } }]);
    expect((await uf('inventory', 'drift')).stdout).toMatch(/payments\s+npm:lodash\s+4\.17\.21\s+4\.17\.15/);
  });

  it('lists upgrades as JSON and refuses an unknown upgrade', async () => {
    expect(JSON.parse((await uf('upgrades', 'list', '--json')).stdout)).toEqual([]);
    const missing = await uf('upgrades', 'show', 'upg_nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no upgrade upg_nope');
  });

  it('creates tokens, validating the role', async () => {
    expect((await uf('token', 'create', '--role', 'pilot')).code).toBe(2);
    const created = JSON.parse((await uf('token', 'create', '--role', 'operator', '--name', 'ci', '--json')).stdout);
    expect(created.secret).toMatch(/^uf_/);
    expect((await uf('token', 'list')).stdout).not.toContain(created.secret);
  });

  it('exports the log and detects a tampered entry, naming it', async () => {
    const jsonl = (await uf('log', 'export')).stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(jsonl.map((e) => e.action)).toEqual(['catalog.import', 'inventory.import', 'inventory.import', 'token.create']);
    const csv = (await uf('log', 'export', '--format', 'csv')).stdout.split('\n');
    expect(csv[0]).toBe('seq,at,actor,action,subject,reason,evidenceRef,prevHash,hash');
    expect(csv).toHaveLength(6);
    expect((await uf('log', 'verify')).code).toBe(0);
    const db = new Database(join(dir, '.uf', 'factory.db'));
    db.prepare("update oplog set actor = 'user:mallory' where seq = 2").run();
    db.close();
    const verify = await uf('log', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('BROKEN at entry 2');
    expect(JSON.parse((await uf('log', 'verify', '--json')).stdout).firstBroken).toMatchObject({ seq: 2, problem: 'edited' });
  });

  it('runs the demo to its end and keeps the workspace where asked', async () => {
    const workspace = join(dir, 'demo');
    const result = await uf('demo', '--once', '--workspace', workspace);
    expect(result.stderr).not.toContain('uf:');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/an online shop with 12 services/);
    expect(result.stdout).toMatch(/chain verified/);
    expect(existsSync(join(workspace, 'factory.yaml'))).toBe(true);
    expect(existsSync(join(workspace, '.uf', 'factory.db'))).toBe(true);
    const summary = JSON.parse((await uf('demo', '--once', '--workspace', workspace, '--json')).stdout);
    expect(summary.services).toBe(12);
    expect(summary.drift.length).toBeGreaterThan(0);
    expect(summary.problems).toEqual([]);
    // The traffic stage: 5% of 2,000 sticky users on the slow v2, measured per version by the router.
    expect(summary.traffic.failedForClients).toBe(0);
    expect(summary.traffic.variants.canary.requests).toBeGreaterThan(60);
    expect(summary.traffic.variants.canary.requests).toBeLessThan(140);
    expect(summary.traffic.variants.canary.p95).toBeGreaterThan(summary.traffic.variants.stable.p95);
    // Re-running on the same workspace changes nothing: every import and the intake are unchanged.
    expect(summary.log.entries).toBe(JSON.parse((await uf('demo', '--once', '--workspace', workspace, '--json')).stdout).log.entries);
    const config = join(workspace, 'factory.yaml');
    expect((await uf('--config', config, 'intake', 'run')).stdout).toContain('nothing changed since the last run');

    // Triaged upgrades from real advisories: Log4Shell is an emergency with every factor explained.
    const log4j = summary.upgrades.find((u: { component: string }) => u.component === 'Maven:org.apache.logging.log4j:log4j-core');
    expect(log4j).toMatchObject({ from: ['2.14.1'], to: '2.17.0', state: 'triaged', changeClass: 'emergency', decision: 'act' });
    const shown = JSON.parse((await uf('--config', config, 'upgrades', 'show', log4j.id, '--json')).stdout);
    expect(shown.risk).toMatchObject({ score: log4j.score, decision: 'act', changeClass: 'emergency' });
    expect(shown.risk.factors).toHaveLength(19);
    for (const factor of shown.risk.factors) expect(factor).toEqual(expect.objectContaining({ name: expect.any(String), weight: expect.any(Number), reason: expect.any(String) }));
    expect(shown.log.map((e: { action: string }) => e.action)).toEqual(['upgrade.create', 'evidence.risk_score', 'upgrade.triage']);
    const forced = JSON.parse((await uf('--config', config, 'intake', 'run', '--force', '--json')).stdout);
    expect(forced).toMatchObject({ status: 'completed', upgrades: { created: [] } });
  });
});
