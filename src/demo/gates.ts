import type { AppRoot } from '../app/root.js';
import { UfError } from '../core/errors.js';
import type { Deployer } from '../rollout/deployers/types.js';
import { changeDeps } from '../app/changes.js';
import { decideChange, openChange } from '../governance/changes/service.js';
import { addEvidence, applyTransition, getUpgrade } from '../store/repos/upgrades.js';
import { runServiceDrill } from '../app/drills.js';
import { acknowledgeNotes, guardCompatStart } from '../app/guards.js';
import { teamRef } from '../governance/identities/teams.js';
import { findService } from '../store/repos/catalog.js';
import { addUser, getUser } from '../store/repos/users.js';
import { runDemoMatrix } from './compat.js';
import type { ScenarioPick } from './scenario.js';

/** The demo's operator persona: acknowledges release notes and runs the matrices and drills. */
export const operator = 'user:demo-operator';

/** The demo's change approvers: a change board of two (the default quorum) who never start rollouts. */
export const changeApprovers = ['user:demo-change-manager', 'user:demo-cab-member'] as const;

/**
 * Takes a triaged upgrade to `compat` with what a rollout's gate asks for, each record saying
 * what it is. The release notes are acknowledged by the service's owner persona (a member of its
 * owning team), as the releaseNotes guard asks. The compatibility matrix runs (`demo/compat.ts`)
 * and records its own verdict. The rollback drill is real (`uf drill run`: a built-in router in
 * front of two local backends, rolled back and timed), and the sample deployer starts the new
 * version as a canary and removes it again.
 */
export async function passDemoGates(root: AppRoot, pick: ScenarioPick & { upgradeId: string }, deployer: Deployer): Promise<void> {
  const { store, clock } = root;
  const policy = root.loaded.config.policy;
  const current = async () => {
    const upgrade = await getUpgrade(store.db, pick.upgradeId);
    if (!upgrade) throw new UfError('not_found', `no upgrade ${pick.upgradeId}`, { record: pick.upgradeId });
    return upgrade;
  };
  let upgrade = await current();
  if (upgrade.state !== 'triaged') throw new UfError('gate_refused', `the demo rolls out ${pick.component} from triaged, and upgrade ${upgrade.id} is ${upgrade.state}`, { record: upgrade.id });
  const at = () => clock.now().toISOString();
  // The release notes are acknowledged by an owner of the service (a member of its owning team), as the guard asks.
  const owner = await demoOwner(root, pick.service);
  await acknowledgeNotes(root, upgrade.id, { actor: owner, roles: ['service-owner'] });
  upgrade = await current();
  await guardCompatStart(root, upgrade, operator);
  upgrade = await applyTransition(store, upgrade.id, upgrade.version, { event: 'start_compat', actor: operator, reason: `uf demo: release notes acknowledged by ${owner}`, at: at(), steps: [] }, policy);
  // The compatibility matrix runs for real and records its verdict on the upgrade itself.
  const matrix = await runDemoMatrix(root, upgrade.id, operator);
  if (matrix.verdict !== 'pass') {
    const first = matrix.blocking[0];
    throw new UfError('gate_refused', `the demo's ${pick.component} upgrade should pass its compatibility matrix, and ${first ? `${first.consumerId} × ${first.checkId} is ${first.status}: ${first.summary}` : 'it did not'}`, { record: upgrade.id });
  }
  upgrade = await current();
  // The change record: opened by the operator who moved it to compat, approved by the change approvers its risk needs.
  const changes = changeDeps(root);
  let change = await openChange(changes, upgrade.id, operator);
  for (const by of changeApprovers) {
    if (change.status === 'authorized') break;
    change = await decideChange(changes, upgrade.id, { by, roles: ['approver'], decision: 'approve', reason: `uf demo: ${change.rule.why}` });
  }
  if (change.status !== 'authorized') throw new UfError('gate_refused', `the demo's change ${change.id} needs ${change.rule.count} approvals (${change.rule.why}); the demo has ${changeApprovers.length} change approvers`, { record: change.id });
  upgrade = await current();
  // A real rollback drill through a built-in router in front of two local backends, timed and recorded.
  const drill = await runServiceDrill(root, { service: pick.service, actor: operator });
  if (drill.outcome !== 'pass') throw new UfError('gate_refused', `the demo's rollback drill of ${pick.service} failed: ${drill.summary}`, { record: drill.id });
  await addEvidence(store, upgrade.id, upgrade.version, { kind: 'rollback_drill', outcome: 'pass', ref: `drill:${drill.id}`, summary: drill.summary, recordedBy: operator, recordedAt: at() });
  const deployed = await deployerDrill(deployer, pick);
  if (!deployed.ok) throw new UfError('gate_refused', deployed.summary, { record: upgrade.id });
}

/** The demo's owner persona of a service: `demo-owner-TEAM`, a member of the team that owns it in the catalog. */
async function demoOwner(root: AppRoot, service: string): Promise<string> {
  const owner = (await findService(root.store.db, service))?.owner;
  if (!owner) throw new UfError('config_invalid', `the demo's service ${service} has no owner in its catalog`, { record: service });
  const team = teamRef(owner).split('/').at(-1)!;
  const name = `demo-owner-${team}`;
  if (!(await getUser(root.store.db, name))) await addUser(root.store, { name, teams: [team], actor: operator });
  return `user:${name}`;
}

/** Starts the new version as a canary (attempt 0: no rollout's) and removes it: can the deployer put it up and take it down? */
async function deployerDrill(deployer: Deployer, pick: ScenarioPick & { upgradeId: string }): Promise<{ ok: boolean; summary: string }> {
  const target = { service: pick.service, upgrade: pick.upgradeId, attempt: 0, fromVersion: pick.fromVersion, toVersion: pick.toVersion };
  const deployed = await deployer.deployCanary(target);
  const removed = await deployer.removeCanary(target);
  const ok = deployed.ok && removed.ok;
  const what = `${deployer.name} started ${pick.toVersion} as a canary${deployed.ok ? ` at ${deployed.url ?? 'no reported URL'}` : ` and failed: ${deployed.reason ?? 'no reason given'}`}, then removed it${removed.ok ? '' : ` and failed: ${removed.reason ?? 'no reason given'}`}`;
  return { ok, summary: `rollback drill by uf demo: ${what}; no traffic was routed to it` };
}
