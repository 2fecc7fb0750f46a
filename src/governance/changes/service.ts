import type { ChangesPolicy } from '../../config/sections/changes.js';
import { parseDuration } from '../../core/duration.js';
import { UfError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Role } from '../../core/roles.js';
import { defaultRolloutWeights, type Upgrade } from '../../core/upgrade/index.js';
import { buildServiceGraph } from '../../catalog/service-map/graph.js';
import { latestAssessment } from '../../intake/store/risk.js';
import type { Tx } from '../../store/db.js';
import type { Store } from '../../store/open.js';
import { listEntities } from '../../store/repos/catalog.js';
import { appendLog } from '../../store/repos/operation-log.js';
import { addEvidenceIn, getUpgrade } from '../../store/repos/upgrades.js';
import { getUser } from '../../store/repos/users.js';
import { approvalRule, checkApproval, live, matchTemplate, satisfied, scopeDigest } from './policy.js';
import { approvalsOf, getChange, insertApproval, insertChange, updateChange, voidApprovals } from './store.js';
import type { ApprovalRule, ChangeAction, ChangeApproval, ChangeEvent, ChangeFields, ChangeRecord } from './types.js';

export interface ChangeDeps {
  store: Store;
  policy: ChangesPolicy;
  /** Told of each decision once it committed (the composition root puts it on the event bus). */
  announce?: (event: ChangeEvent) => void;
}

/** A change as shown: the record, its approvals, the rule it needs and whether its review is overdue. */
export interface ChangeView extends ChangeRecord {
  approvals: ChangeApproval[];
  rule: ApprovalRule;
  approvalsGiven: number;
  reviewRequired: boolean;
  reviewOverdue: boolean;
}

export async function changeView(deps: ChangeDeps, id: string): Promise<ChangeView> {
  return viewOf(deps, await requireChange(deps, id));
}

export async function viewOf(deps: ChangeDeps, change: ChangeRecord): Promise<ChangeView> {
  const approvals = await approvalsOf(deps.store.db, change.id);
  const now = deps.store.clock.now().toISOString();
  const reviewRequired = change.changeClass === 'emergency' && change.reviewedAt === null;
  return {
    ...change,
    approvals,
    rule: approvalRule(deps.policy, change),
    approvalsGiven: live(approvals).filter((a) => a.decision === 'approve').length,
    reviewRequired,
    reviewOverdue: reviewRequired && change.reviewDueAt !== null && change.reviewDueAt < now,
  };
}

/**
 * Opens the change record of an upgrade that entered compat, filled from what the factory knows:
 * the risk stage's score and reasons, the blast radius from the service map, the rollout policy's
 * steps, and a matching standard template's plans. A change a template pre-approves (or an
 * emergency needing no approval) is authorized at once. Opening twice returns the first.
 */
export async function openChange(deps: ChangeDeps, upgradeId: string, actor: string): Promise<ChangeView> {
  const existing = await getChange(deps.store.db, upgradeId);
  if (existing) return viewOf(deps, existing);
  const upgrade = await getUpgrade(deps.store.db, upgradeId);
  if (!upgrade) throw new UfError('not_found', `no upgrade ${upgradeId}`, { record: upgradeId });
  if (upgrade.state !== 'compat') throw new UfError('conflict', `upgrade ${upgradeId} is ${upgrade.state}; a change record is opened when an upgrade enters compat`, { record: upgradeId });
  const now = deps.store.clock.now();
  const stored = await latestAssessment(deps.store.db, upgradeId);
  const risk = stored ? { score: stored.assessment.score, decision: stored.assessment.decision, summary: stored.assessment.summary } : null;
  const template = upgrade.changeClass === 'standard' ? matchTemplate(deps.policy.templates, upgrade, risk?.score) : undefined;
  const fields: ChangeFields = {
    justification: justification(upgrade, risk),
    implementationPlan: template?.implementationPlan ?? `Progressive rollout of ${upgrade.name} ${upgrade.targetVersion} on ${upgrade.services.join(', ')} through each service's traffic router: ${defaultRolloutWeights[upgrade.changeClass].join('% → ')}% by the rollout policy, each step opened only by a passing canary analysis and the approvals the policy asks for.`,
    backoutPlan: template?.backoutPlan ?? `Set the canary weight to 0 through the router (automatic on an analysis breach, or uf rollout abort), then remove the canary; the stable version (${upgrade.fromVersions.join(', ')}) keeps serving.`,
    backoutTime: template?.backoutTime ?? deps.policy.defaultBackoutTime,
    backoutTimeSource: template ? `template ${template.id}` : 'changes.defaultBackoutTime',
    testPlan: template?.testPlan ?? 'The compatibility matrix (every consumer × check) must pass before the canary; at each step the canary analysis must pass the policy thresholds before traffic rises.',
    risk,
    services: [...upgrade.services],
    affectedServices: await blastRadius(deps, upgrade.services),
    targetVersion: upgrade.targetVersion,
  };
  const plannedStart = now.toISOString();
  const plannedEnd = new Date(now.getTime() + 86_400_000).toISOString();
  const draft: ChangeRecord = {
    id: newId('chg'),
    upgradeId,
    changeClass: upgrade.changeClass,
    status: 'awaiting-approval',
    fields,
    plannedStart,
    plannedEnd,
    requestedBy: actor,
    implementer: actor,
    templateId: template?.id ?? null,
    scopeDigest: scopeDigest(fields, { plannedStart, plannedEnd }),
    reviewDueAt: upgrade.changeClass === 'emergency' ? new Date(now.getTime() + parseDuration(deps.policy.emergency.reviewWithin)!).toISOString() : null,
    reviewedAt: null,
    reviewedBy: null,
    reviewNotes: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
  const rule = approvalRule(deps.policy, draft);
  await deps.store.db.transaction().execute(async (tx) => {
    await insertChange(tx, draft);
    await appendLog(tx, [{ actor, action: 'change.open', subject: draft.id, reason: `change for upgrade ${upgradeId} (${draft.changeClass}): ${rule.why}`, evidenceRef: upgradeId }], now);
    if (rule.count === 0) await authorize(tx, draft, template ? `template:${template.id}` : actor, rule.why, now);
  });
  const view = await changeView(deps, draft.id);
  announce(deps, view, now, [['opened', actor, rule.why]]);
  if (view.status === 'authorized') announce(deps, view, now, [['authorized', template ? `template:${template.id}` : actor, rule.why]]);
  return view;
}

/** Records a person's approval or rejection, after segregation of duties and the rules; authorizes or rejects the change when it is decided. */
export async function decideChange(
  deps: ChangeDeps,
  id: string,
  input: { by: string; roles: readonly Role[]; decision: 'approve' | 'reject'; reason?: string; scopeDigest?: string },
): Promise<ChangeView> {
  let change = await requireChange(deps, id);
  if (input.decision === 'reject' && !input.reason) throw new UfError('usage', 'a rejection needs a reason');
  const teams = input.by.startsWith('user:') ? ((await getUser(deps.store.db, input.by.slice(5)))?.teams ?? []) : [];
  const now = deps.store.clock.now();
  let authorizedWhy: string | undefined;
  try {
    await deps.store.db.transaction().execute(async (tx) => {
      // Decisions on one change are taken one at a time: the row is locked, then read again.
      await tx.updateTable('change_requests').set({ updated_at: now.toISOString() }).where('id', '=', change.id).execute();
      change = (await getChange(tx, change.id)) ?? change;
      const role = checkApproval(deps.policy, change, await approvalsOf(tx, change.id), { ...input, teams });
      await insertApproval(tx, { changeId: change.id, by: input.by, role, decision: input.decision, reason: input.reason ?? null, scopeDigest: change.scopeDigest, at: now.toISOString() });
      await appendLog(tx, [{ actor: input.by, action: `change.${input.decision}`, subject: change.id, reason: `${role} ${input.by} ${input.decision === 'approve' ? 'approved' : 'rejected'} scope ${change.scopeDigest.slice(0, 12)}${input.reason ? `: ${input.reason}` : ''}`, evidenceRef: change.upgradeId }], now);
      const rule = approvalRule(deps.policy, change);
      if (input.decision === 'reject') return reject(tx, change, input.by, input.reason!, now);
      const approvals = [...(await approvalsOf(tx, change.id))];
      if (satisfied(rule, approvals)) {
        authorizedWhy = `${rule.why}: ${live(approvals).map((a) => a.by).join(', ')}`;
        await authorize(tx, change, input.by, authorizedWhy, now);
      }
    });
  } catch (error) {
    // A refusal is part of the audit trail too: who tried, and why it was refused.
    if (error instanceof UfError && (error.code === 'forbidden' || error.code === 'conflict')) {
      await deps.store.db.transaction().execute((tx) => appendLog(tx, [{ actor: input.by, action: 'change.refused', subject: change.id, reason: error.message, evidenceRef: change.upgradeId }], now));
    }
    throw error;
  }
  const view = await changeView(deps, change.id);
  const decided: ChangeAction = input.decision === 'approve' ? 'approved' : 'rejected';
  announce(deps, view, now, [[decided, input.by, input.reason ?? `${input.by} approved`], ...(authorizedWhy ? [['authorized', input.by, authorizedWhy] as const] : [])]);
  return view;
}

export type ChangeEdit = Partial<Pick<ChangeFields, 'justification' | 'implementationPlan' | 'backoutPlan' | 'backoutTime' | 'testPlan' | 'affectedServices'>> & { plannedStart?: string; plannedEnd?: string; implementer?: string };

/**
 * Edits a change. Editing its scope (services, plans, planned times) after approvals voids them:
 * the change waits for approvals again and the canary gate closes until it has them.
 */
export async function editChange(deps: ChangeDeps, id: string, edit: ChangeEdit, actor: string): Promise<ChangeView> {
  const change = await requireChange(deps, id);
  if (change.status === 'canceled') throw new UfError('conflict', `change ${change.id} is canceled`, { record: change.id });
  const now = deps.store.clock.now();
  const { plannedStart, plannedEnd, implementer, ...fieldEdits } = edit;
  if (edit.backoutTime !== undefined && parseDuration(edit.backoutTime) === undefined) throw new UfError('usage', `backoutTime '${edit.backoutTime}' is not a duration such as 30m`, { path: 'backoutTime' });
  const start = plannedStart !== undefined ? instant(plannedStart, 'plannedStart') : change.plannedStart;
  const end = plannedEnd !== undefined ? instant(plannedEnd, 'plannedEnd') : change.plannedEnd;
  if (end <= start) throw new UfError('usage', `plannedEnd (${end}) must be after plannedStart (${start})`, { path: 'plannedEnd' });
  const approvals = await approvalsOf(deps.store.db, change.id);
  if (implementer !== undefined && live(approvals).some((a) => a.by === implementer)) {
    throw new UfError('forbidden', `change ${change.id}: ${implementer} approved or rejected it and cannot implement it`, { record: change.id });
  }
  const fields: ChangeFields = { ...change.fields, ...fieldEdits, ...(edit.backoutTime !== undefined ? { backoutTimeSource: `set by ${actor}` } : {}) };
  const digest = scopeDigest(fields, { plannedStart: start, plannedEnd: end });
  const scopeChanged = digest !== change.scopeDigest;
  const next: ChangeRecord = { ...change, fields, plannedStart: start, plannedEnd: end, implementer: implementer ?? change.implementer, scopeDigest: digest, updatedAt: now.toISOString(), version: change.version + 1 };
  let voidedWhy: string | undefined;
  let reauthorized: string | undefined;
  await deps.store.db.transaction().execute(async (tx) => {
    const what = [...Object.keys(fieldEdits), ...(plannedStart !== undefined ? ['plannedStart'] : []), ...(plannedEnd !== undefined ? ['plannedEnd'] : []), ...(implementer !== undefined ? ['implementer'] : [])];
    let voided = 0;
    if (scopeChanged) {
      // A new scope is a new question: earlier decisions (approvals and a rejection alike) no longer answer it.
      voided = await voidApprovals(tx, change.id, now.toISOString(), `scope edited by ${actor} (${what.join(', ')})`);
      next.status = 'awaiting-approval';
    }
    if (!(await updateChange(tx, next, change.version))) throw new UfError('conflict', `change ${change.id} was changed by someone else meanwhile; read it again`, { record: change.id });
    await appendLog(tx, [{ actor, action: 'change.edit', subject: change.id, reason: `edited ${what.join(', ') || 'nothing'}${scopeChanged ? `; scope ${change.scopeDigest.slice(0, 12)} -> ${digest.slice(0, 12)}` : ''}${voided ? `; ${voided} approval(s) voided` : ''}`, evidenceRef: change.upgradeId }], now);
    if (scopeChanged && (change.status === 'authorized' || voided > 0)) await closeGate(tx, change.upgradeId, actor, `change ${change.id}: scope edited after approval; ${voided} approval(s) voided, approvals needed again`, now);
    const rule = approvalRule(deps.policy, next);
    if (scopeChanged && (change.status === 'authorized' || voided > 0)) voidedWhy = `scope edited by ${actor}; ${voided} approval(s) voided, approvals needed again`;
    if (scopeChanged && rule.count === 0) {
      reauthorized = rule.why;
      await authorize(tx, next, next.templateId ? `template:${next.templateId}` : actor, rule.why, now);
    }
  });
  const view = await changeView(deps, change.id);
  announce(deps, view, now, [...(voidedWhy ? [['voided', actor, voidedWhy] as const] : []), ...(reauthorized ? [['authorized', actor, reauthorized] as const] : [])]);
  return view;
}

/** The post-hoc review an emergency change needs, by someone who neither requested nor implemented it. */
export async function reviewChange(deps: ChangeDeps, id: string, input: { by: string; notes: string }): Promise<ChangeView> {
  const change = await requireChange(deps, id);
  if (change.changeClass !== 'emergency') throw new UfError('conflict', `change ${change.id} is ${change.changeClass}; only emergency changes take a post-hoc review`, { record: change.id });
  if (change.reviewedAt) throw new UfError('conflict', `change ${change.id} was reviewed at ${change.reviewedAt} by ${change.reviewedBy}`, { record: change.id });
  if (input.by === change.requestedBy || input.by === change.implementer) throw new UfError('forbidden', `change ${change.id}: ${input.by} requested or implemented it and cannot review it`, { record: change.id });
  const now = deps.store.clock.now();
  const next = { ...change, reviewedAt: now.toISOString(), reviewedBy: input.by, reviewNotes: input.notes, updatedAt: now.toISOString(), version: change.version + 1 };
  await deps.store.db.transaction().execute(async (tx) => {
    if (!(await updateChange(tx, next, change.version))) throw new UfError('conflict', `change ${change.id} was changed meanwhile; try again`, { record: change.id });
    const late = change.reviewDueAt && change.reviewDueAt < now.toISOString() ? ` (late: it was due ${change.reviewDueAt})` : '';
    await appendLog(tx, [{ actor: input.by, action: 'change.review', subject: change.id, reason: `post-hoc review${late}: ${input.notes}`, evidenceRef: change.upgradeId }], now);
  });
  const view = await changeView(deps, change.id);
  announce(deps, view, now, [['reviewed', input.by, input.notes]]);
  return view;
}

/** Tells `deps.announce` what was decided, in order; a listener's failure never undoes a committed decision. */
function announce(deps: ChangeDeps, change: ChangeRecord, at: Date, what: readonly (readonly [ChangeAction, string, string])[]): void {
  if (!deps.announce) return;
  for (const [action, actor, reason] of what) {
    const event: ChangeEvent = { action, changeId: change.id, upgradeId: change.upgradeId, status: change.status, actor, reason, at: at.toISOString() };
    deps.announce(event);
  }
}

/**
 * Before a rollout starts: the person starting it implements the change, so they must not be one
 * of its approvers (segregation of duties); the change records them as its implementer.
 */
export async function beginImplementation(deps: ChangeDeps, upgradeId: string, actor: string): Promise<void> {
  const change = await getChange(deps.store.db, upgradeId);
  if (!change) throw new UfError('gate_refused', `upgrade ${upgradeId} has no change record; open one with uf change open ${upgradeId}`, { record: upgradeId });
  const approvers = live(await approvalsOf(deps.store.db, change.id)).map((a) => a.by);
  if (approvers.includes(actor)) throw new UfError('forbidden', `change ${change.id}: ${actor} approved it and cannot also start its rollout`, { record: change.id });
  if (change.implementer === actor) return;
  const now = deps.store.clock.now();
  await deps.store.db.transaction().execute(async (tx) => {
    if (!(await updateChange(tx, { ...change, implementer: actor, updatedAt: now.toISOString(), version: change.version + 1 }, change.version))) throw new UfError('conflict', `change ${change.id} was changed meanwhile; try again`, { record: change.id });
    await appendLog(tx, [{ actor, action: 'change.implementer', subject: change.id, reason: `${actor} starts the rollout and implements the change (was ${change.implementer})`, evidenceRef: upgradeId }], now);
  });
}

async function authorize(tx: Tx, change: ChangeRecord, by: string, why: string, now: Date): Promise<void> {
  await tx.updateTable('change_requests').set({ status: 'authorized', updated_at: now.toISOString() }).where('id', '=', change.id).execute();
  await appendLog(tx, [{ actor: by, action: 'change.authorize', subject: change.id, reason: why, evidenceRef: change.upgradeId }], now);
  const upgrade = await getUpgrade(tx, change.upgradeId);
  if (upgrade) await addEvidenceIn(tx, upgrade.id, upgrade.version, { kind: 'change_authorized', outcome: 'pass', ref: `change:${change.id}`, summary: `change ${change.id} authorized: ${why}`, recordedBy: by, recordedAt: now.toISOString() });
}

async function reject(tx: Tx, change: ChangeRecord, by: string, reason: string, now: Date): Promise<void> {
  await tx.updateTable('change_requests').set({ status: 'rejected', updated_at: now.toISOString() }).where('id', '=', change.id).execute();
  await closeGate(tx, change.upgradeId, by, `change ${change.id} rejected by ${by}: ${reason}`, now);
}

async function closeGate(tx: Tx, upgradeId: string, by: string, summary: string, now: Date): Promise<void> {
  const upgrade = await getUpgrade(tx, upgradeId);
  if (!upgrade || ['done', 'rejected', 'superseded', 'rolled_back'].includes(upgrade.state)) return;
  await addEvidenceIn(tx, upgrade.id, upgrade.version, { kind: 'change_authorized', outcome: 'fail', ref: `change-gate:${upgradeId}`, summary, recordedBy: by, recordedAt: now.toISOString() });
}

async function requireChange(deps: ChangeDeps, id: string): Promise<ChangeRecord> {
  const change = await getChange(deps.store.db, id);
  if (!change) throw new UfError('not_found', `no change ${id} (a change id, or the id of an upgrade in compat)`, { record: id });
  return change;
}

async function blastRadius(deps: ChangeDeps, services: readonly string[]): Promise<string[]> {
  const graph = buildServiceGraph(await listEntities(deps.store.db));
  const names = new Set(services);
  for (const service of services) {
    const ref = graph.entities().find((e) => e.name === service && e.kind === 'Component')?.ref;
    if (ref) for (const hit of graph.transitiveDependents(ref)) names.add(graph.entity(hit.ref)?.name ?? hit.ref);
  }
  return [...names].sort();
}

function justification(upgrade: Upgrade, risk: ChangeFields['risk']): string {
  const move = `${upgrade.name} ${upgrade.fromVersions.join(', ')} → ${upgrade.targetVersion} on ${upgrade.services.join(', ')}`;
  return risk ? `${move}. ${risk.summary}` : `${move}. Risk was never scored for this upgrade: the justification must be written by the requester.`;
}

function instant(text: string, field: string): string {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) throw new UfError('usage', `${field} '${text}' is not an ISO-8601 instant such as 2026-12-05T22:00:00Z`, { path: field });
  return new Date(ms).toISOString();
}

