import { UfError } from '../core/errors.js';
import type { EvidenceKind, EvidenceOutcome, Upgrade, UpgradeEvent } from '../core/upgrade/index.js';
import { openChange } from '../governance/changes/service.js';
import { addEvidence, applyTransition, getUpgrade } from '../store/repos/upgrades.js';
import { changeDeps } from './changes.js';
import { guardCompatStart } from './guards.js';
import type { AppRoot } from './root.js';

/**
 * What a person records on an upgrade outside a rollout: the facts the early gates open on, and
 * the moves around the rollout. Analysis verdicts and approvals of steps come from the rollout
 * engine only (`uf rollout`), risk scores and supersession from intake: they are not here.
 */
export const manualEvidenceKinds = ['release_notes_ack', 'compat_matrix', 'rollback_drill', 'verification'] as const satisfies readonly EvidenceKind[];
export type ManualEvidenceKind = (typeof manualEvidenceKinds)[number];

/** start_compat after the release notes are acknowledged; complete after verification; reject before a rollout. */
export const manualEvents = ['start_compat', 'complete', 'reject'] as const satisfies readonly UpgradeEvent[];
export type ManualEvent = (typeof manualEvents)[number];

export interface ManualEvidence {
  kind: ManualEvidenceKind;
  outcome: EvidenceOutcome;
  summary: string;
  /** Where the full evidence lives: a CI run, a ticket, a drill report. */
  ref: string;
}

/**
 * Records a person's evidence. `compat_matrix` is manual only where no compatibility check is
 * configured: with `compat.checks`, the matrix decides (`uf compat run`), and a failed cell is
 * waived with a role and a reason (`uf compat waive`), never overwritten by hand.
 */
export async function recordUpgradeEvidence(root: Pick<AppRoot, 'store' | 'clock' | 'loaded'>, id: string, evidence: ManualEvidence, actor: string): Promise<Upgrade> {
  if (evidence.summary.trim() === '') throw new UfError('usage', 'evidence needs a summary saying what was checked and found', { path: 'summary' });
  if (evidence.kind === 'compat_matrix' && root.loaded.config.compat.checks.length > 0) {
    throw new UfError(
      'conflict',
      `compat_matrix evidence comes from the matrix when compat.checks are configured: run uf compat run ${id}, and waive a failed cell with uf compat waive`,
      { path: 'kind' },
    );
  }
  const upgrade = await requireUpgrade(root, id);
  return addEvidence(root.store, id, upgrade.version, { ...evidence, recordedBy: actor, recordedAt: root.clock.now().toISOString() });
}

export async function moveUpgrade(root: Pick<AppRoot, 'store' | 'clock' | 'events' | 'loaded'>, id: string, event: ManualEvent, reason: string, actor: string): Promise<Upgrade> {
  const upgrade = await requireUpgrade(root, id);
  if (event === 'start_compat') await guardCompatStart(root, upgrade, actor);
  const at = root.clock.now().toISOString();
  const moved = await applyTransition(root.store, id, upgrade.version, { event, actor, reason, at }, root.loaded.config.policy);
  root.events.publish({ type: 'upgrade.transitioned', upgradeId: id, to: moved.state, actor, reason, at });
  // Every upgrade that enters compat gets its change record, requested by whoever moved it.
  if (moved.state === 'compat') {
    await openChange(changeDeps(root), id, actor);
    return (await getUpgrade(root.store.db, id)) ?? moved;
  }
  return moved;
}

async function requireUpgrade(root: Pick<AppRoot, 'store'>, id: string): Promise<Upgrade> {
  const upgrade = await getUpgrade(root.store.db, id);
  if (!upgrade) throw new UfError('not_found', `no upgrade ${id}`, { record: id });
  return upgrade;
}
