import type { Db, Tx } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { ActionDetail, ActionKind, ActionStatus, Review, ReviewAction } from './types.js';

type ReviewRow = Database['upgrade_reviews'];

export async function insertReview(tx: Tx, review: Omit<Review, 'actions'>): Promise<void> {
  await tx
    .insertInto('upgrade_reviews')
    .values({ id: review.id, upgrade_id: review.upgradeId, went_well: review.wentWell, went_badly: review.wentBadly, opened_by: review.openedBy, opened_at: review.openedAt, updated_at: review.updatedAt })
    .execute();
}

export async function updateReviewText(tx: Tx, id: string, text: { wentWell?: string; wentBadly?: string }, at: string): Promise<void> {
  await tx
    .updateTable('upgrade_reviews')
    .set({ ...(text.wentWell !== undefined ? { went_well: text.wentWell } : {}), ...(text.wentBadly !== undefined ? { went_badly: text.wentBadly } : {}), updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** A review by its id or its upgrade's id, with its actions. */
export async function getReview(db: Db | Tx, idOrUpgrade: string): Promise<Review | undefined> {
  const row = await db.selectFrom('upgrade_reviews').selectAll().where((eb) => eb.or([eb('id', '=', idOrUpgrade), eb('upgrade_id', '=', idOrUpgrade)])).executeTakeFirst();
  if (!row) return undefined;
  const actions = await db.selectFrom('review_actions').selectAll().where('review_id', '=', row.id).orderBy('created_at').orderBy('id').execute();
  return fromRow(row, actions.map(actionFromRow));
}

export async function listReviews(db: Db): Promise<Omit<Review, 'actions'>[]> {
  return (await db.selectFrom('upgrade_reviews').selectAll().orderBy('opened_at').orderBy('id').execute()).map((r) => fromRow(r, []));
}

export async function insertAction(tx: Tx, a: ReviewAction): Promise<void> {
  await tx
    .insertInto('review_actions')
    .values({ id: a.id, review_id: a.reviewId, kind: a.kind, service: a.service, title: a.title, owner: a.owner, due: a.due, detail: JSON.stringify(a.detail), status: a.status, created_by: a.createdBy, created_at: a.createdAt, done_by: null, done_at: null, done_note: null })
    .execute();
}

export async function getAction(db: Db | Tx, id: string): Promise<ReviewAction | undefined> {
  const row = await db.selectFrom('review_actions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? actionFromRow(row) : undefined;
}

/** Marks an open action done; false when it was done already (someone else got there first). */
export async function markActionDone(tx: Tx, id: string, by: string, at: string, note: string | null): Promise<boolean> {
  const result = await tx.updateTable('review_actions').set({ status: 'done', done_by: by, done_at: at, done_note: note }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Actions on any of `services`, with the upgrade whose review they came from. */
export async function actionsForServices(db: Db, services: readonly string[], filter: { kinds?: readonly ActionKind[]; status?: ActionStatus } = {}): Promise<{ action: ReviewAction; upgradeId: string }[]> {
  if (services.length === 0) return [];
  let query = db.selectFrom('review_actions').innerJoin('upgrade_reviews', 'upgrade_reviews.id', 'review_actions.review_id').selectAll('review_actions').select('upgrade_reviews.upgrade_id as from_upgrade').where('review_actions.service', 'in', [...services]);
  if (filter.kinds) query = query.where('review_actions.kind', 'in', [...filter.kinds]);
  if (filter.status) query = query.where('review_actions.status', '=', filter.status);
  const rows = await query.orderBy('review_actions.created_at').orderBy('review_actions.id').execute();
  return rows.map((r) => ({ action: actionFromRow(r), upgradeId: r.from_upgrade }));
}

function fromRow(r: ReviewRow, actions: ReviewAction[]): Review {
  return { id: r.id, upgradeId: r.upgrade_id, wentWell: r.went_well, wentBadly: r.went_badly, openedBy: r.opened_by, openedAt: r.opened_at, updatedAt: r.updated_at, actions };
}

function actionFromRow(r: Database['review_actions']): ReviewAction {
  return {
    id: r.id,
    reviewId: r.review_id,
    kind: r.kind as ActionKind,
    service: r.service,
    title: r.title,
    owner: r.owner,
    due: r.due,
    detail: JSON.parse(r.detail) as ActionDetail,
    status: r.status as ActionStatus,
    createdBy: r.created_by,
    createdAt: r.created_at,
    doneBy: r.done_by,
    doneAt: r.done_at,
    doneNote: r.done_note,
  };
}
