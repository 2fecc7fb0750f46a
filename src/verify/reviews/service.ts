import { z } from 'zod';
import { compatCheckSchema } from '../../config/sections/compat.js';
import { UfError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { findService } from '../../store/repos/catalog.js';
import { appendLog } from '../../store/repos/operation-log.js';
import { getUpgrade } from '../../store/repos/upgrades.js';
import type { Store } from '../../store/open.js';
import { actionsForServices, getAction, getReview, insertAction, insertReview, markActionDone, updateReviewText } from './store.js';
import { actionKinds, type ActionDetail, type Lesson, type Review, type ReviewAction } from './types.js';

/** Upgrades a review is about: ones that reached production (a post-implementation review has something to look back on). */
const reviewable = new Set(['verifying', 'done', 'rolled_back']);

export const reviewTextSchema = z.object({ wentWell: z.string().min(1).max(20_000), wentBadly: z.string().min(1).max(20_000) }).strict();

/** An action as a person writes it; the kind decides which of the optional fields it needs. */
export const actionInputSchema = z
  .object({
    kind: z.enum(actionKinds),
    service: z.string().min(1),
    title: z.string().min(1).max(500),
    owner: z.string().min(1).max(200),
    due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-12-15'),
    /** compat-check: the check, as under `compat.checks` in factory.yaml (its `services` is set to `service`). */
    check: z.record(z.string(), z.unknown()).optional(),
    /** threshold: which analysis and metric, and the threshold before and after (k6-style text such as `p(95)<250`). */
    analysis: z.string().min(1).optional(),
    metric: z.string().min(1).optional(),
    from: z.string().min(1).optional(),
    to: z.string().min(1).optional(),
    /** checklist: the item's text (the title when absent). */
    item: z.string().min(1).max(2000).optional(),
  })
  .strict();
export type ActionInput = z.output<typeof actionInputSchema>;

export async function openReview(store: Store, upgradeId: string, text: { wentWell: string; wentBadly: string }, actor: string): Promise<Review> {
  const upgrade = await getUpgrade(store.db, upgradeId);
  if (!upgrade) throw new UfError('not_found', `no upgrade ${upgradeId}`, { record: upgradeId });
  if (!reviewable.has(upgrade.state)) throw new UfError('conflict', `upgrade ${upgradeId} is in ${upgrade.state}: a post-implementation review follows a rollout (verifying, done or rolled_back)`, { record: upgradeId });
  const existing = await getReview(store.db, upgradeId);
  const at = store.clock.now();
  await store.db.transaction().execute(async (tx) => {
    if (existing) await updateReviewText(tx, existing.id, text, at.toISOString());
    else await insertReview(tx, { id: newId('rev'), upgradeId, ...text, openedBy: actor, openedAt: at.toISOString(), updatedAt: at.toISOString() });
    await appendLog(tx, [{ actor, action: existing ? 'review.edit' : 'review.open', subject: upgradeId, reason: `post-implementation review: went well: ${clip(text.wentWell)}; did not: ${clip(text.wentBadly)}`, evidenceRef: existing?.id ?? null }], at);
  });
  return showReview(store, upgradeId);
}

export async function showReview(store: Store, idOrUpgrade: string): Promise<Review> {
  const review = await getReview(store.db, idOrUpgrade);
  if (!review) throw new UfError('not_found', `no post-implementation review for ${idOrUpgrade}: open one with uf review open ${idOrUpgrade}`, { record: idOrUpgrade });
  return review;
}

/** Adds an action to a review; its details are checked for its kind (a compat check as factory.yaml would). */
export async function addAction(store: Store, reviewRef: string, input: ActionInput, actor: string, configCheckIds: readonly string[]): Promise<ReviewAction> {
  const review = await showReview(store, reviewRef);
  const upgrade = await getUpgrade(store.db, review.upgradeId);
  if (!upgrade!.services.includes(input.service) && !(await findService(store.db, input.service))) {
    throw new UfError('import_invalid', `service ${input.service} is neither a service of upgrade ${review.upgradeId} (${upgrade!.services.join(', ')}) nor in the service map`, { path: 'service' });
  }
  const detail = await detailOf(store, input, configCheckIds);
  const at = store.clock.now();
  const action: ReviewAction = { id: newId('act'), reviewId: review.id, kind: input.kind, service: input.service, title: input.title, owner: input.owner, due: input.due, detail, status: 'open', createdBy: actor, createdAt: at.toISOString(), doneBy: null, doneAt: null, doneNote: null };
  await store.db.transaction().execute(async (tx) => {
    await insertAction(tx, action);
    await appendLog(tx, [{ actor, action: 'review.action.add', subject: review.upgradeId, reason: `${action.kind} for ${action.service}, owner ${action.owner}, due ${action.due}: ${action.title}`, evidenceRef: action.id }], at);
  });
  return action;
}

export async function completeAction(store: Store, actionId: string, by: { actor: string; admin: boolean }, note: string | null): Promise<ReviewAction> {
  const action = await getAction(store.db, actionId);
  if (!action) throw new UfError('not_found', `no review action ${actionId}`, { record: actionId });
  if (!by.admin && by.actor !== action.owner) throw new UfError('forbidden', `action ${actionId} is closed by its owner (${action.owner}) or an admin, not ${by.actor}`, { record: actionId });
  if (action.status === 'done') throw new UfError('conflict', `action ${actionId} was done by ${action.doneBy} at ${action.doneAt}`, { record: actionId });
  const at = store.clock.now();
  const review = await showReview(store, action.reviewId);
  await store.db.transaction().execute(async (tx) => {
    if (!(await markActionDone(tx, actionId, by.actor, at.toISOString(), note))) throw new UfError('conflict', `action ${actionId} was done meanwhile`, { record: actionId });
    await appendLog(tx, [{ actor: by.actor, action: 'review.action.done', subject: review.upgradeId, reason: `${action.kind} for ${action.service} done: ${action.title}${note ? ` (${note})` : ''}`, evidenceRef: actionId }], at);
  });
  return (await getAction(store.db, actionId))!;
}

/**
 * What earlier reviews hand to this upgrade: open checklist and threshold actions on its services,
 * and the compat checks reviews added (open or done: a done compat-check action means the check is
 * in place, and it stays in the matrix). Its own review's actions are not lessons for itself.
 */
export async function lessonsFor(store: Store, upgradeId: string): Promise<Lesson[]> {
  const upgrade = await getUpgrade(store.db, upgradeId);
  if (!upgrade) throw new UfError('not_found', `no upgrade ${upgradeId}`, { record: upgradeId });
  const today = store.clock.now().toISOString().slice(0, 10);
  const rows = await actionsForServices(store.db, upgrade.services);
  return rows
    .filter(({ action, upgradeId: from }) => from !== upgradeId && (action.kind === 'compat-check' || action.status === 'open'))
    .map(({ action, upgradeId: from }) => ({ action, fromUpgrade: from, reviewId: action.reviewId, overdue: action.status === 'open' && action.due < today }));
}

async function detailOf(store: Store, input: ActionInput, configCheckIds: readonly string[]): Promise<ActionDetail> {
  switch (input.kind) {
    case 'checklist':
      return { kind: 'checklist', item: input.item ?? input.title };
    case 'threshold':
      if (!input.analysis || !input.metric || !input.to) throw new UfError('import_invalid', 'a threshold action names the analysis, the metric and the new threshold (analysis, metric, to)', { path: !input.analysis ? 'analysis' : !input.metric ? 'metric' : 'to' });
      return { kind: 'threshold', analysis: input.analysis, metric: input.metric, from: input.from ?? null, to: input.to };
    case 'compat-check': {
      if (!input.check) throw new UfError('import_invalid', 'a compat-check action carries the check, as under compat.checks in factory.yaml', { path: 'check' });
      const parsed = compatCheckSchema.safeParse({ ...input.check, services: [input.service] });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new UfError('import_invalid', issue.message, { path: ['check', ...issue.path].join('.') });
      }
      const id = parsed.data.id;
      if (configCheckIds.includes(id)) throw new UfError('conflict', `factory.yaml already has a compat check ${id}: give the review's check another id`, { path: 'check.id' });
      const taken = await actionsForServices(store.db, [input.service], { kinds: ['compat-check'] });
      if (taken.some(({ action }) => action.detail.kind === 'compat-check' && action.detail.check.id === id)) throw new UfError('conflict', `a review already added a compat check ${id} for ${input.service}`, { path: 'check.id' });
      return { kind: 'compat-check', check: parsed.data };
    }
  }
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
