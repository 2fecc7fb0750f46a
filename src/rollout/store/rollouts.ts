import { UfError } from '../../core/errors.js';
import type { Db, Tx } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { Action, Observation, RolloutState } from '../engine/index.js';

/**
 * The rollout engine's tables: each rollout's reducer state (with a version, so two writers can
 * never both store a decision made on the same state) and the actions it decided, keyed by their
 * deterministic ids. Writes take a transaction, so the reconciler commits a new state, its log
 * entries and its actions together.
 */

export interface StoredRollout {
  id: string;
  upgradeId: string;
  attempt: number;
  service: string;
  state: RolloutState;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type ActionStatus = 'pending' | 'done' | 'failed';

export interface StoredAction {
  id: string;
  rolloutId: string;
  seq: number;
  action: Action;
  status: ActionStatus;
  /** The observation its run produced; null when the action reports nothing back. */
  result: Observation | null;
  createdAt: string;
  finishedAt: string | null;
  observedAt: string | null;
}

export async function insertRolloutIn(tx: Tx, state: RolloutState, now: Date): Promise<StoredRollout> {
  const at = now.toISOString();
  const row: Database['rollouts'] = {
    id: state.rolloutId,
    upgrade_id: state.upgradeId,
    attempt: state.attempt,
    service: state.service,
    state: JSON.stringify(state),
    version: 1,
    created_at: at,
    updated_at: at,
  };
  await tx.insertInto('rollouts').values(row).execute();
  return fromRow(row);
}

export async function getRollout(db: Db, id: string): Promise<StoredRollout | undefined> {
  const row = await db.selectFrom('rollouts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Stores a new state decided on `expectedVersion`; refused (`conflict`) when someone stored another since. */
export async function saveRolloutIn(tx: Tx, id: string, expectedVersion: number, state: RolloutState, now: Date): Promise<number> {
  const result = await tx
    .updateTable('rollouts')
    .set({ state: JSON.stringify(state), attempt: state.attempt, version: expectedVersion + 1, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new UfError('conflict', `rollout ${id} changed since version ${expectedVersion}: another reconciler stored a decision`, { record: id });
  }
  return expectedVersion + 1;
}

/** The sequence number at the end of an action id (`.../<kind>/<seq>`). */
export function seqOf(actionId: string): number {
  return Number(actionId.slice(actionId.lastIndexOf('/') + 1));
}

/**
 * Records decided actions. An id already stored is left as it is (a decision re-made after a crash
 * has the same id), so an action is stored, and run, once.
 */
export async function insertActionsIn(tx: Tx, rolloutId: string, actions: readonly { action: Action; status: ActionStatus }[], now: Date): Promise<void> {
  const at = now.toISOString();
  for (const { action, status } of actions) {
    await tx
      .insertInto('rollout_actions')
      .values({
        id: action.id,
        rollout_id: rolloutId,
        seq: seqOf(action.id),
        kind: action.kind,
        body: JSON.stringify(action),
        status,
        result: null,
        created_at: at,
        finished_at: status === 'pending' ? null : at,
        // An action stored finished has nothing to report back.
        observed_at: status === 'pending' ? null : at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

/** Actions not yet run, in the order they were decided. */
export async function pendingActions(db: Db, rolloutId: string): Promise<StoredAction[]> {
  const rows = await db.selectFrom('rollout_actions').selectAll().where('rollout_id', '=', rolloutId).where('status', '=', 'pending').orderBy('seq').execute();
  return rows.map(actionFromRow);
}

/** Finished actions whose result the reducer has not seen yet, in the order they were decided. */
export async function unobservedActions(db: Db, rolloutId: string): Promise<StoredAction[]> {
  const rows = await db
    .selectFrom('rollout_actions')
    .selectAll()
    .where('rollout_id', '=', rolloutId)
    .where('status', '!=', 'pending')
    .where('observed_at', 'is', null)
    .orderBy('seq')
    .execute();
  return rows.map(actionFromRow);
}

export async function getAction(db: Db, id: string): Promise<StoredAction | undefined> {
  const row = await db.selectFrom('rollout_actions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? actionFromRow(row) : undefined;
}

export async function listActions(db: Db, rolloutId: string): Promise<StoredAction[]> {
  const rows = await db.selectFrom('rollout_actions').selectAll().where('rollout_id', '=', rolloutId).orderBy('seq').execute();
  return rows.map(actionFromRow);
}

/**
 * Records an action's outcome, once: only a pending action is finished, so a second writer's
 * result is refused (`false`) and the first one stands.
 */
export async function finishActionIn(tx: Tx, id: string, status: Exclude<ActionStatus, 'pending'>, result: Observation | null, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const updated = await tx
    .updateTable('rollout_actions')
    .set({ status, result: result === null ? null : JSON.stringify(result), finished_at: at, observed_at: result === null ? at : null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Marks results as handed to the reducer, in the transaction that stores the decision made on them. */
export async function markObservedIn(tx: Tx, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.updateTable('rollout_actions').set({ observed_at: now.toISOString() }).where('id', 'in', [...ids]).where('observed_at', 'is', null).execute();
}

function fromRow(row: Database['rollouts']): StoredRollout {
  return {
    id: row.id,
    upgradeId: row.upgrade_id,
    attempt: Number(row.attempt),
    service: row.service,
    state: JSON.parse(row.state) as RolloutState,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function actionFromRow(row: Database['rollout_actions']): StoredAction {
  return {
    id: row.id,
    rolloutId: row.rollout_id,
    seq: Number(row.seq),
    action: JSON.parse(row.body) as Action,
    status: row.status,
    result: row.result === null ? null : (JSON.parse(row.result) as Observation),
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    observedAt: row.observed_at,
  };
}

/** An approval or command as queued for a rollout. */
export interface StoredInput {
  id: string;
  rolloutId: string;
  seq: number;
  observation: Observation;
  actor: string;
  createdAt: string;
  observedAt: string | null;
}

/**
 * Queues an approval or command for the reconciler. Its id is `<rollout>/in/<seq>`; two callers
 * racing for a seq meet the unique index, and the loser takes the next one.
 */
export async function queueInput(db: Db, rolloutId: string, observation: Observation, actor: string, now: Date): Promise<StoredInput> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (tx) => {
        const last = await tx.selectFrom('rollout_inputs').select((eb) => eb.fn.max('seq').as('seq')).where('rollout_id', '=', rolloutId).executeTakeFirst();
        const seq = Number(last?.seq ?? 0) + 1;
        const row: Database['rollout_inputs'] = { id: `${rolloutId}/in/${seq}`, rollout_id: rolloutId, seq, body: JSON.stringify(observation), actor, created_at: now.toISOString(), observed_at: null };
        await tx.insertInto('rollout_inputs').values(row).execute();
        return inputFromRow(row);
      });
    } catch (error) {
      if (attempt >= 5 || !(error instanceof UfError) || error.code !== 'conflict') throw error;
    }
  }
}

/** Inputs the reducer has not been given yet, in the order they were queued. */
export async function unobservedInputs(db: Db, rolloutId: string): Promise<StoredInput[]> {
  const rows = await db.selectFrom('rollout_inputs').selectAll().where('rollout_id', '=', rolloutId).where('observed_at', 'is', null).orderBy('seq').execute();
  return rows.map(inputFromRow);
}

export async function getInput(db: Db, id: string): Promise<StoredInput | undefined> {
  const row = await db.selectFrom('rollout_inputs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? inputFromRow(row) : undefined;
}

/** Marks inputs as handed to the reducer, in the transaction that stores the decision made on them. */
export async function markInputsObservedIn(tx: Tx, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.updateTable('rollout_inputs').set({ observed_at: now.toISOString() }).where('id', 'in', [...ids]).where('observed_at', 'is', null).execute();
}

/** Rollouts, newest first; `open` keeps those whose attempt has not ended or whose actions still run. */
export async function listRollouts(db: Db, filter: { upgradeId?: string; limit?: number } = {}): Promise<StoredRollout[]> {
  let query = db.selectFrom('rollouts').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (filter.upgradeId) query = query.where('upgrade_id', '=', filter.upgradeId);
  if (filter.limit) query = query.limit(filter.limit);
  return (await query.execute()).map(fromRow);
}

/** Ids of rollouts with work: an unobserved result or input, or a pending action. */
export async function rolloutsWithWork(db: Db): Promise<string[]> {
  const pending = await db.selectFrom('rollout_actions').select('rollout_id').distinct().where((eb) => eb.or([eb('status', '=', 'pending'), eb('observed_at', 'is', null)])).execute();
  const inputs = await db.selectFrom('rollout_inputs').select('rollout_id').distinct().where('observed_at', 'is', null).execute();
  return [...new Set([...pending, ...inputs].map((r) => r.rollout_id))];
}

function inputFromRow(row: Database['rollout_inputs']): StoredInput {
  return {
    id: row.id,
    rolloutId: row.rollout_id,
    seq: Number(row.seq),
    observation: JSON.parse(row.body) as Observation,
    actor: row.actor,
    createdAt: row.created_at,
    observedAt: row.observed_at,
  };
}
