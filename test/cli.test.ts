import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runUf } from './helpers/cli.js';

describe('uf command line', { timeout: 90_000 }, () => {
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

});

/**
 * The demo runs once per test, each with its own timeout: a slow machine fails one test, not the file.
 * The first run does the rollouts (under a minute here; `--once` must end within three): 240 s.
 * The other tests run several `uf` processes each (seconds apiece on a loaded machine): 120 s each.
 */
describe('uf demo', { timeout: 120_000 }, () => {
  const demoTimeout = 240_000;
  let dir: string;
  let workspace: string;
  let config: string;
  const uf = (...args: string[]) => runUf(args, { cwd: dir });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-demo-test-'));
    workspace = join(dir, 'demo');
    config = join(workspace, 'factory.yaml');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'runs three rollouts to their ends in under three minutes, printing their decisions, and keeps the workspace where asked',
    async () => {
      const started = performance.now();
      const result = await uf('demo', '--once', '--workspace', workspace);
      const seconds = (performance.now() - started) / 1000;
      expect(result.stderr).not.toContain('uf:');
      expect(result.code).toBe(0);
      expect(seconds).toBeLessThan(180);
      expect(result.stdout).toMatch(/an online shop with 12 services/);
      // Each rollout's outcome, judged by the demo from the rollout's own state, then its decisions from the log.
      expect(result.stdout).toMatch(/catalog npm:lodash [^\n]*\n\s+rolled back at 5% on p95_latency: [^\n]*\[as expected\]; upgrade rolled_back/);
      expect(result.stdout).toMatch(/checkout npm:tough-cookie [^\n]*\n\s+blocked at 5% by conversion \(passed: p95_latency, error_rate, queue_backlog\)[^\n]*\[as expected\]; upgrade rolled_back/);
      expect(result.stdout).toMatch(/shipping npm:axios [^\n]*\n\s+reached 100%, gates approved by user:demo-approver \(approver\)[^\n]*verified for 20s at 100% \(\d+ rounds of checks\) and done\s+\[as expected\]; upgrade done/);
      expect(result.stdout).toMatch(/user:demo-release-engineer\s+approve by user:demo-release-engineer refused: user:demo-release-engineer started this rollout and cannot approve its gates/);
      expect(result.stdout).toMatch(/user:demo-approver\s+user:demo-approver \(approver\) approved step 2 at 50%/);
      expect(result.stdout).toMatch(/analysis catalog-canary failed at 5%: [^\n]*p95_latency: canary [\d.]+ > max 300; traffic off, upgrade rolled back/);
      expect(result.stdout).toMatch(/load: catalog \d+ sent, 0 failed, \d+ skipped; checkout \d+ sent, 0 failed, \d+ skipped; shipping \d+ sent, 0 failed, \d+ skipped/);
      // The compatibility stage: three matrices pass and their canaries start; the red one keeps its gate closed.
      expect(result.stdout).toMatch(/shipping npm:axios: pass, 2 cells over 2 consumers: its canary may start/);
      expect(result.stdout).toMatch(/npm:jsonwebtoken [^\n]* on admin, checkout, gateway: fail, \d+ cells {2}\[as expected: the gate stays closed\]/);
      expect(result.stdout).toMatch(/gateway\/sso-bridge × declared-ranges: fail: sso-bridge requires jsonwebtoken \^8\.5\.1 \(package\.json\): 9\.0\.0 is outside/);
      expect(result.stdout).toMatch(/gateway × api-contract: fail: [^\n]*response-required-property-removed on POST \/session/);
      expect(result.stdout).toMatch(/start_canary: gate start_canary refused for upgrade upg_\w+: latest compat_matrix evidence in compat is a fail/);
      expect(result.stdout).not.toMatch(/NOT as expected/);
      expect(result.stdout).toMatch(/operation log: \d+ entries, chain verified\n/);
      // The promoted upgrade verified and done: its readout and the quarter's are written, with DORA for the demo's history.
      const upgradeReadout = /upgrade (upg_\w+): (\S+\.md) \(and \.html\)/.exec(result.stdout);
      expect(upgradeReadout, result.stdout).not.toBeNull();
      const markdown = readFileSync(upgradeReadout![2]!, 'utf8');
      for (const heading of ['## What changed', '## Why now', '## What risk reduced', '## What business metric improved']) expect(markdown).toContain(heading);
      expect(markdown).toContain('| axios | 1.4.0 | 1.7.4 |');
      expect(markdown).toContain('Rollouts: shipping (done, attempt 1).');
      expect(markdown).toMatch(/Risk score before: \d+\/100/);
      expect(readFileSync(upgradeReadout![2]!.replace(/\.md$/, '.html'), 'utf8')).toContain('<svg');
      expect(result.stdout).toMatch(/period 20\d\d-Q[1-4]: \S+period-20\d\d-Q[1-4]\.md \(and \.html\)/);
      expect(result.stdout).toMatch(/deployments 3 \(1 reached 100%\)[^\n]*\n\s+change lead time median [^\n]*change fail rate 66\.7% \(2\/3\)\n\s+failed deployment recovery time median [^\n]*deployment rework rate 0% \(0\/3\)\n?$/);
      expect(existsSync(join(workspace, 'factory.yaml'))).toBe(true);
      expect(existsSync(join(workspace, '.uf', 'factory.db'))).toBe(true);
      expect(existsSync(join(workspace, '.uf-demo'))).toBe(true);
      const verify = await uf('--config', config, 'log', 'verify');
      expect(verify.code).toBe(0);
      console.info(`uf demo --once took ${seconds.toFixed(1)} s`);
    },
    demoTimeout,
  );

  it(
    'runs again on its own workspace as JSON, reporting the rollouts it ran, with no new decision logged',
    async () => {
      const before = (await uf('--config', config, 'log', 'export')).stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number });
      const summary = JSON.parse((await uf('demo', '--once', '--workspace', workspace, '--json')).stdout);
      expect(summary.services).toBe(12);
      expect(summary.drift.length).toBeGreaterThan(0);
      expect(summary.problems).toEqual([]);
      expect(summary.rollouts).toMatchObject({ ran: false, ok: true, load: null, log: { verified: true }, blocked: { component: 'npm:jsonwebtoken', verdict: 'fail', met: true } });
      expect(summary.rollouts.matrices.map((m: { verdict: string }) => m.verdict)).toEqual(['pass', 'pass', 'pass']);
      const byRole = Object.fromEntries(summary.rollouts.rollouts.map((r: { role: string }) => [r.role, r]));
      expect(byRole['latency-regression']).toMatchObject({ service: 'catalog', phase: 'rolled-back', weight: 5, upgradeState: 'rolled_back', met: true });
      expect(byRole['conversion-drop']).toMatchObject({ service: 'checkout', phase: 'rolled-back', weight: 5, upgradeState: 'rolled_back', met: true });
      expect(byRole.healthy).toMatchObject({ service: 'shipping', phase: 'done', weight: 100, upgradeState: 'done', met: true });
      for (const rollout of summary.rollouts.rollouts) expect(rollout.decisions[0].actor).toBe('user:demo-release-engineer');
      // The rolled-back upgrades' components are still vulnerable: intake opens new upgrades for them,
      // and that is all a re-run adds (no rollout decision, no import).
      const after = (await uf('--config', config, 'log', 'export')).stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; action: string });
      const added = after.filter((e) => e.seq > before.at(-1)!.seq).map((e) => e.action);
      expect(new Set(added)).toEqual(new Set(added.length > 0 ? ['upgrade.create', 'evidence.risk_score', 'upgrade.triage', 'intake.run'] : []));
      expect(summary.log.entries).toBe(after.length);
      expect(summary.readouts.files.map((f: { what: string }) => f.what.split(' ')[0])).toEqual(['upgrade', 'period']);
      expect(summary.readouts.dora.changeFailRate).toMatchObject({ numerator: 2, denominator: 3 });
    },
    demoTimeout,
  );

  it('reports the open findings of an unchanged intake run, not zero', async () => {
    const text = await uf('--config', config, 'intake', 'run');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/nothing changed since the last run \(\d+ open findings/);
    const unchanged = JSON.parse((await uf('--config', config, 'intake', 'run', '--json')).stdout);
    expect(unchanged.status).toBe('unchanged');
    const forced = JSON.parse((await uf('--config', config, 'intake', 'run', '--force', '--json')).stdout);
    expect(forced).toMatchObject({ status: 'completed', upgrades: { created: [] } });
    expect(unchanged.findings.open).toBeGreaterThan(0);
    expect(unchanged.findings.open).toBe(forced.findings.open);
  });

  it('explains Log4Shell as an emergency with every factor, and lists upgrades by risk', async () => {
    const list = JSON.parse((await uf('--config', config, 'upgrades', 'list', '--json')).stdout) as { component: string; ecosystem: string; name: string; id: string; score: number | null }[];
    const scores = list.map((u) => u.score ?? -1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const byComponent = JSON.parse((await uf('--config', config, 'upgrades', 'list', '--sort', 'component', '--json')).stdout) as { ecosystem: string; name: string }[];
    const names = byComponent.map((u) => `${u.ecosystem}:${u.name}`);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    const log4j = list.find((u) => `${u.ecosystem}:${u.name}` === 'Maven:org.apache.logging.log4j:log4j-core')!;
    const shown = JSON.parse((await uf('--config', config, 'upgrades', 'show', log4j.id, '--json')).stdout);
    expect(shown).toMatchObject({ fromVersions: ['2.14.1'], targetVersion: '2.17.0', state: 'triaged', changeClass: 'emergency' });
    expect(shown.risk).toMatchObject({ score: log4j.score, decision: 'act', changeClass: 'emergency' });
    expect(shown.risk.factors).toHaveLength(19);
    for (const factor of shown.risk.factors) expect(factor).toEqual(expect.objectContaining({ name: expect.any(String), weight: expect.any(Number), reason: expect.any(String) }));
    expect(shown.log.map((e: { action: string }) => e.action)).toEqual(['upgrade.create', 'evidence.risk_score', 'upgrade.triage']);
  });

  it('refuses a non-empty directory it did not make, leaving the files alone', async () => {
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'factory.yaml'), 'version: 1\nname: mine\n');
    const result = await uf('demo', '--once', '--workspace', mine);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^uf: demo workspace .*mine is not empty and was not made by uf demo/);
    expect(readFileSync(join(mine, 'factory.yaml'), 'utf8')).toBe('version: 1\nname: mine\n');
  });

  it('says in one line that its port is taken, before doing the work, exit 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const result = await uf('demo', '--workspace', join(dir, 'port'), '--port', String(port));
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`uf: address in use: 127.0.0.1:${port} is taken by another process (choose another port)`);
    } finally {
      blocker.close();
    }
  });
});
