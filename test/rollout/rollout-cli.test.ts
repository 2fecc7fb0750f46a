import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { addEvidence, applyTransition, createUpgrade } from '../../src/store/repos/upgrades.js';
import { runUf } from '../helpers/cli.js';

/**
 * `uf upgrades record|move` and `uf rollout` on a local store, as a release engineer runs them:
 * the upgrade is taken to compat by hand, the rollout is started, and the engine answers people's
 * commands at once (the serving process would run what it decides).
 */
describe('uf rollout on a local store', () => {
  let dir: string;
  let upgradeId: string;
  const as = (actor: string) => ({ cwd: dir, env: { UF_ACTOR: actor } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-rollout-cli-'));
    writeFileSync(
      join(dir, 'factory.yaml'),
      stringify({
        version: 1,
        name: 'rollout-cli-test',
        store: { path: 'factory.db' },
        traffic: { routers: [{ kind: 'builtin', service: 'checkout', listen: '127.0.0.1:0', stable: 'http://127.0.0.1:9/', canary: 'http://127.0.0.1:9/' }] },
        deployers: [{ service: 'checkout', kind: 'sample' }],
        rollout: {
          analyses: {
            slo: {
              window: '30s',
              metrics: [{ name: 'p95_latency', source: { kind: 'builtin', adminUrl: 'http://127.0.0.1:9', stat: 'p95' } }],
              judge: { kind: 'threshold', checks: [{ metric: 'p95_latency', max: 250 }] },
            },
          },
          defaults: { analysis: 'slo' },
        },
      }),
    );
    const store = await openStore({ sqlitePath: join(dir, 'factory.db') });
    let u = await createUpgrade(store, { ecosystem: 'npm', name: 'express', purl: 'pkg:npm/express', fromVersions: ['4.18.2'], targetVersion: '4.21.2', services: ['checkout'], changeClass: 'normal', createdBy: 'system:intake', reason: 'test' });
    u = await addEvidence(store, u.id, u.version, { kind: 'risk_score', outcome: 'pass', ref: 'rsk', summary: 'scored', recordedBy: 'system:intake', recordedAt: store.clock.now().toISOString() });
    u = await applyTransition(store, u.id, u.version, { event: 'triage', actor: 'system:intake', reason: 'scored', at: store.clock.now().toISOString() }, { rollbackDrillMaxAgeDays: 30 });
    upgradeId = u.id;
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes an upgrade to compat by hand and refuses what the engine owns', async () => {
    // The releaseNotes guard: compat waits for an acknowledgment (carol acts as an admin on this local store), then opens.
    expect((await runUf(['upgrades', 'move', upgradeId, 'start_compat', '--reason', 'notes read'], as('user:carol'))).stderr).toContain('guard releaseNotes refused');
    const acked = await runUf(['upgrades', 'ack-notes', upgradeId, '--role', 'admin'], as('user:carol'));
    expect(acked.code, acked.stderr).toBe(0);
    // The rollbackDrill guard: a real drill of checkout through a built-in router before its canary.
    const drilled = await runUf(['drill', 'run', 'checkout', '--json'], as('user:carol'));
    expect(drilled.code, drilled.stderr).toBe(0);
    for (const [kind, summary] of [
      ['compat_matrix', 'contract tests of checkout passed against 4.21.2 (CI run 812)'],
    ]) {
      if (kind === 'compat_matrix') expect((await runUf(['upgrades', 'move', upgradeId, 'start_compat', '--reason', 'notes read'], as('user:carol'))).code).toBe(0);
      const recorded = await runUf(['upgrades', 'record', upgradeId, '--kind', kind!, '--summary', summary!, '--ref', `ci:${kind}`], as('user:carol'));
      expect(recorded.code, recorded.stderr).toBe(0);
    }
    // Entering compat opened the change record, requested by carol, who cannot approve it; two others can (the board's quorum: risk was never scored).
    expect((await runUf(['change', 'approve', upgradeId], as('user:carol'))).stderr).toContain('user:carol requested this change and cannot approve or reject it');
    for (const approver of ['user:cab-1', 'user:cab-2']) expect((await runUf(['change', 'approve', upgradeId, '--reason', 'plans read'], as(approver))).code).toBe(0);
    expect(JSON.parse((await runUf(['change', 'show', upgradeId, '--json'], as('user:carol'))).stdout)).toMatchObject({ status: 'authorized', approvalsGiven: 2 });
    const engineOwned = await runUf(['upgrades', 'move', upgradeId, 'promote', '--reason', 'skip'], as('user:carol'));
    expect(engineOwned.code).toBe(2);
    expect(engineOwned.stderr).toContain('start_compat, complete, reject');
    const analysis = await runUf(['upgrades', 'record', upgradeId, '--kind', 'analysis', '--summary', 'fine'], as('user:carol'));
    expect(analysis.code).toBe(2);
  }, 120_000);

  it('starts a rollout, refuses the initiator\'s approval and a pause the phase does not allow, and aborts', async () => {
    const started = await runUf(['rollout', 'start', upgradeId, '--json'], as('user:alice'));
    expect(started.code, started.stderr).toBe(0);
    const id = (JSON.parse(started.stdout) as { id: string }).id;

    const self = await runUf(['rollout', 'approve', id, '--reason', 'mine'], as('user:alice'));
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('refused: user:alice started this rollout and cannot approve its gates');

    const pause = await runUf(['rollout', 'pause', id], as('user:bob'));
    expect(pause.code).toBe(2);
    expect(pause.stderr).toContain('is deploying; only a rollout at a step can be paused');

    const abort = await runUf(['rollout', 'abort', id, '--reason', 'wrong window'], as('user:bob'));
    expect(abort.code, abort.stderr).toBe(0);
    expect(abort.stdout).toContain('user:bob aborted the rollout at 0%: wrong window');

    const status = await runUf(['rollout', 'status', id], as('user:bob'));
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('phase     aborted');
    expect(status.stdout).toMatch(/user:alice\s+approve by user:alice refused/);

    // --watch prints the view and returns once the attempt has ended.
    const watched = await runUf(['rollout', 'status', id, '--watch', '--interval', '200'], as('user:bob'));
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toContain('phase     aborted');
    expect((await runUf(['rollout', 'status', '--watch'], as('user:bob'))).stderr).toContain('--watch needs a rollout id');

    const list = await runUf(['rollout', 'status', '--json'], as('user:bob'));
    expect((JSON.parse(list.stdout) as { id: string }[]).map((r) => r.id)).toEqual([id]);
    expect((await runUf(['log', 'verify'], as('user:bob'))).code).toBe(0);
  }, 120_000);
});
