import { changesSchema } from '../../src/config/sections/changes.js';
import { changeView, decideChange, openChange } from '../../src/governance/changes/service.js';
import { latestPassingDrill, saveDrill } from '../../src/governance/drills/store.js';
import { newId } from '../../src/core/ids.js';
import type { Clock } from '../../src/core/clock.js';
import type { ChangeClass } from '../../src/core/upgrade/index.js';
import type { Store } from '../../src/store/open.js';
import { addEvidence, applyTransition, createUpgrade, getUpgrade } from '../../src/store/repos/upgrades.js';

export interface UpgradeAtCompat {
  clock: Clock;
  changeClass?: ChangeClass;
  /** npm package name; `lodash` by default. */
  name?: string;
  fromVersion?: string;
  toVersion?: string;
  service?: string;
  /** Who created the upgrade (intake) and who records its evidence and moves it. */
  createdBy?: string;
  actor?: string;
  /** Whether its change record is opened and authorized by the board (true by default). */
  authorize?: boolean;
}

/** An upgrade taken through its gates up to compat (risk, release notes, compat matrix, drill), ready for its canary. */
export async function upgradeAtCompat(store: Store, options: UpgradeAtCompat): Promise<string> {
  const { clock, actor = 'user:carol' } = options;
  const id = await upgradeInCompat(store, { ...options, services: [options.service ?? 'checkout'] });
  const u = await getUpgrade(store.db, id);
  if (!u) throw new Error(`upgrade ${id} vanished`);
  await addEvidence(store, id, u.version, { kind: 'compat_matrix', outcome: 'pass', ref: 'ref:compat_matrix', summary: 'compat_matrix', recordedBy: actor, recordedAt: clock.now().toISOString() });
  return id;
}

export interface UpgradeInCompat extends Omit<UpgradeAtCompat, 'service'> {
  services: string[];
  /** The evidence refs' prefix (`ref:KIND` by default). */
  refPrefix?: string;
}

/** An upgrade moved into compat (risk scored, release notes acknowledged, a recent drill), with no compat_matrix yet. */
export async function upgradeInCompat(store: Store, options: UpgradeInCompat): Promise<string> {
  const { clock, name = 'lodash', actor = 'user:carol', refPrefix = 'ref' } = options;
  const now = () => clock.now().toISOString();
  let u = await createUpgrade(
    store,
    {
      ecosystem: 'npm',
      name,
      purl: `pkg:npm/${name}`,
      fromVersions: [options.fromVersion ?? '1.0.0'],
      targetVersion: options.toVersion ?? '1.1.0',
      services: options.services,
      changeClass: options.changeClass ?? 'normal',
      createdBy: options.createdBy ?? 'system:intake',
      reason: 'test',
    },
    clock.now(),
  );
  const add = async (kind: 'risk_score' | 'release_notes_ack' | 'rollback_drill') =>
    (u = await addEvidence(store, u.id, u.version, { kind, outcome: 'pass', ref: `${refPrefix}:${kind}`, summary: kind, recordedBy: actor, recordedAt: now() }));
  const go = async (event: 'triage' | 'start_compat') => (u = await applyTransition(store, u.id, u.version, { event, actor, reason: 'test', at: now() }, { rollbackDrillMaxAgeDays: 30 }));
  await add('risk_score');
  await go('triage');
  await add('release_notes_ack');
  await go('start_compat');
  await add('rollback_drill');
  for (const service of options.services) await recordPassingDrill(store, service, clock, actor);
  if (options.authorize !== false) await authorizedChange(store, u.id, actor);
  return u.id;
}

/**
 * A passing rollback drill of `service` as `uf drill run` stores it, for tests that are not about
 * the rollbackDrill guard (test/guards runs real ones); none when the service has a recent one.
 */
export async function recordPassingDrill(store: Store, service: string, clock: Clock, actor = 'user:carol'): Promise<void> {
  const at = clock.now().toISOString();
  const latest = await latestPassingDrill(store.db, service);
  if (latest && Date.parse(at) - Date.parse(latest.finishedAt) < 86_400_000) return;
  const report = { stableVersion: 'stable', canaryVersion: 'canary', canaryWeight: 50, phases: [], rollbackMs: 3, failures: [] };
  await saveDrill(store, { id: newId('drl'), service, router: 'test', outcome: 'pass', rollbackMs: 3, report, summary: `test fixture: a passing drill of ${service}`, actor, startedAt: at, finishedAt: at });
}

/** The upgrade's change record, opened by `requester` and approved by two change approvers (the default board quorum) through the real rules. */
export async function authorizedChange(store: Store, upgradeId: string, requester: string, approvers: readonly string[] = ['user:cab-1', 'user:cab-2']): Promise<void> {
  const deps = { store, policy: changesSchema.parse(undefined) };
  await openChange(deps, upgradeId, requester);
  for (const by of approvers) {
    if ((await changeView(deps, upgradeId)).status === 'authorized') return;
    await decideChange(deps, upgradeId, { by, roles: ['approver'], decision: 'approve' });
  }
}
