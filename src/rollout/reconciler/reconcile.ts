import type { NewLogEntry } from '../../audit/chain.js';
import type { Clock } from '../../core/clock.js';
import { UfError } from '../../core/errors.js';
import type { GatePolicy } from '../../core/upgrade/index.js';
import type { Tx } from '../../store/db.js';
import type { Store } from '../../store/open.js';
import { withLease } from '../../store/repos/leases.js';
import { appendLog } from '../../store/repos/operation-log.js';
import { addEvidenceIn, applyTransitionIn, getUpgrade } from '../../store/repos/upgrades.js';
import type { Upgrade } from '../../core/upgrade/index.js';
import { reapplyWeights, type ReapplyOutcome } from '../../traffic/reapply.js';
import type { TrafficRouter } from '../../traffic/types.js';
import type { DeployTarget, Deployer } from '../deployers/types.js';
import { decide, finalPhases, startRollout, type Action, type Decision, type Observation, type RolloutState, type StartRollout, type WindowVerdict } from '../engine/index.js';
import {
  finishActionIn,
  getRollout,
  insertActionsIn,
  insertRolloutIn,
  markInputsObservedIn,
  markObservedIn,
  pendingActions,
  unobservedInputs,
  saveRolloutIn,
  unobservedActions,
  type StoredAction,
} from '../store/rollouts.js';
import type { AnalysisRunner, BaselineCapturer, VerificationRunner } from './analysis.js';

/**
 * The rollout engine's reconciler: it drives one rollout by feeding what it observed to the pure
 * reducer (`decide`), storing the decision, and carrying out the actions decided.
 *
 * Crash safety rests on one order: a decision (new state, its operation-log entries and its
 * actions, as pending) is committed in ONE transaction before any of its actions runs; an
 * action's result is committed as it finishes; a result is handed to the reducer in the
 * transaction that stores the decision made on it. So a process killed at any point leaves either
 * a decision not stored (made again, with the same deterministic action ids, by the next run) or
 * stored actions still pending (run again: each runner is idempotent) or results not yet observed
 * (fed on the next run). An action that is done is never run again, and a decision is logged once:
 * its log entry is written with the state it produced, and its evidence ref is its action id.
 *
 * Upgrade transitions and evidence are written in the same transaction that marks their action
 * done, so they happen exactly once. Notifications are at least once: a crash between sending and
 * recording sends again.
 */

export const rolloutLogAction = 'rollout.decision';

export interface ReconcilerDeps {
  deployer: Deployer;
  router: TrafficRouter;
  analyse: AnalysisRunner;
  /** Runs the verification checks after 100%; without it a run-verification action fails (and the rollout pauses). */
  verify?: VerificationRunner;
  /** Captures the before-window of the before/after baselines as the rollout starts. */
  captureBaseline?: BaselineCapturer;
  /** Tells the service's owner (and, for a gate, the approvers); rejects when it could not. */
  notify(service: string, text: string): Promise<void>;
  /** The versions the deployer moves between. */
  versions: Pick<DeployTarget, 'fromVersion' | 'toVersion' | 'environment'>;
  gatePolicy: GatePolicy;
  /**
   * Called before each action runs. A rejection stops the reconciler there as a crash would (the
   * crash-safety tests inject their faults here); it is never caught.
   */
  beforeRun?(action: Action): Promise<void> | void;
  /**
   * Told of every decision once it is committed, with the state it produced and the decisions'
   * log texts: the app layer turns them into events. Never called for a decision not stored.
   */
  onDecided?(state: RolloutState, decisions: readonly DecisionRecord[]): void;
  /** Told of each upgrade transition the rollout made, once committed (the app layer announces it). */
  onTransitioned?(upgrade: Upgrade, transition: { actor: string; reason: string; at: string }): void;
  /** The change windows' verdict for a service at an instant; absent: no window applies. */
  windowAt?: WindowLookup;
}

/** Asked before each decision and handed to the reducer, which cannot read the windows itself. */
export type WindowLookup = (service: string, at: Date) => Promise<WindowVerdict>;

/** One decision as the operation log holds it. */
export interface DecisionRecord {
  actionId: string;
  owner: string;
  text: string;
  refusal?: string;
  refusedAs?: 'forbidden' | 'conflict';
}

/** The decision records among a decision's actions. */
export function decisionRecords(actions: readonly Action[]): DecisionRecord[] {
  return actions.flatMap((a) => (a.kind === 'record-decision' ? [{ actionId: a.id, owner: a.owner, text: a.text, ...(a.evidence.refusal ? { refusal: a.evidence.refusal, refusedAs: a.evidence.refusedAs ?? 'conflict' } : {}) }] : []));
}

export interface ReconcileOptions {
  /** Most rounds of run-then-decide in one call; the rollout goes on in the next call. */
  maxRounds?: number;
  /** The lease's time to live and how long to wait for another holder (default: fail at once). */
  leaseTtlMs?: number;
  leaseWaitMs?: number;
  holder?: string;
}

export interface ReconcileReport {
  state: RolloutState;
  rounds: number;
  /** Ids of the actions this call ran. */
  ran: string[];
  /** What re-applying the recorded weights found and did; the error when the router refused. */
  reapplied: ReapplyOutcome | { error: string };
}

/** Stores a new rollout: its state, its first decisions in the log and its first actions, together. */
export async function beginRollout(store: Store, input: StartRollout, clock: Clock, onDecided?: ReconcilerDeps['onDecided']): Promise<RolloutState> {
  const now = clock.now();
  const decision = startRollout(input, now);
  await store.db.transaction().execute(async (tx) => {
    await insertRolloutIn(tx, decision.state, now);
    await storeDecisionIn(tx, decision, now);
  });
  onDecided?.(decision.state, decisionRecords(decision.actions));
  return decision.state;
}

/**
 * Runs one rollout until nothing more happens now: under the lease `rollout:<id>`, so exactly one
 * process drives it, re-applies the recorded weights to the router (which may have forgotten them
 * in a restart), then alternates deciding on the results not yet observed and running the pending
 * actions, until a round observes nothing, decides nothing and runs nothing.
 */
export async function reconcileOnce(store: Store, rolloutId: string, deps: ReconcilerDeps, clock: Clock, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const maxRounds = options.maxRounds ?? 50;
  return withLease(store, `rollout:${rolloutId}`, { clock, ttlMs: options.leaseTtlMs ?? 60_000, waitMs: options.leaseWaitMs ?? 0, ...(options.holder ? { holder: options.holder } : {}) }, async () => {
    const stored = await getRollout(store.db, rolloutId);
    if (!stored) throw new UfError('not_found', `no rollout ${rolloutId}`, { record: rolloutId });
    let state = stored.state;
    let version = stored.version;
    const reapplied = await reapplyWeights(deps.router, state.weights).catch((error: unknown) => ({ error: messageOf(error) }));
    const ran: string[] = [];
    let rounds = 0;
    while (rounds < maxRounds) {
      rounds += 1;
      const round = await decideRound(store, rolloutId, { state, version }, clock, deps.onDecided, deps.windowAt);
      ({ state, version } = round);
      const pending = await pendingActions(store.db, rolloutId);
      for (const action of pending) {
        await deps.beforeRun?.(action.action);
        await runAction(store, state, action, deps, clock);
        ran.push(action.id);
      }
      if (!round.changed && round.seen === 0 && pending.length === 0) break;
    }
    return { state, rounds, ran, reapplied };
  });
}

/**
 * Decides on what waits (actions' results, then people's approvals and commands) and stores the
 * decision, without running any action or touching the router: how an approval or a command gets
 * its answer at once, while the process that drives the rollout runs what was decided. Under the
 * rollout's lease, like `reconcileOnce`.
 */
export async function decideWaiting(
  store: Store,
  rolloutId: string,
  clock: Clock,
  options: Pick<ReconcileOptions, 'leaseTtlMs' | 'leaseWaitMs' | 'holder'> & { onDecided?: ReconcilerDeps['onDecided']; windowAt?: WindowLookup } = {},
): Promise<RolloutState> {
  return withLease(store, `rollout:${rolloutId}`, { clock, ttlMs: options.leaseTtlMs ?? 60_000, waitMs: options.leaseWaitMs ?? 0, ...(options.holder ? { holder: options.holder } : {}) }, async () => {
    const stored = await getRollout(store.db, rolloutId);
    if (!stored) throw new UfError('not_found', `no rollout ${rolloutId}`, { record: rolloutId });
    return (await decideRound(store, rolloutId, stored, clock, options.onDecided, options.windowAt)).state;
  });
}

/** One round: the reducer on everything not yet observed (or a tick), stored with what it observed. */
async function decideRound(
  store: Store,
  rolloutId: string,
  current: { state: RolloutState; version: number },
  clock: Clock,
  onDecided: ReconcilerDeps['onDecided'],
  windowAt?: WindowLookup,
): Promise<{ state: RolloutState; version: number; changed: boolean; seen: number }> {
  let { state, version } = current;
  const results = await unobservedActions(store.db, rolloutId);
  // People's approvals and commands come after the results the actions reported.
  const inputs = await unobservedInputs(store.db, rolloutId);
  const observations = [...results.map((a) => a.result).filter((o): o is Observation => o !== null), ...inputs.map((i) => i.observation)];
  const now = clock.now();
  // The window is asked at the same instant the reducer decides at; a finished attempt needs none.
  const window = windowAt && !finalPhases.includes(state.phase) ? await windowAt(state.service, now) : undefined;
  const decision = decide(state, observations.length > 0 ? observations : [{ type: 'tick' }], now, window ? { window } : {});
  const changed = decision.actions.length > 0 || JSON.stringify(decision.state) !== JSON.stringify(state);
  const seen = results.length + inputs.length;
  if (changed || seen > 0) {
    version = await store.db.transaction().execute(async (tx) => {
      const next = await saveRolloutIn(tx, rolloutId, version, decision.state, now);
      await storeDecisionIn(tx, decision, now);
      await markObservedIn(
        tx,
        results.map((a) => a.id),
        now,
      );
      await markInputsObservedIn(
        tx,
        inputs.map((i) => i.id),
        now,
      );
      return next;
    });
    state = decision.state;
    onDecided?.(state, decisionRecords(decision.actions));
  }
  return { state, version, changed, seen };
}

/** A decision's log entries and actions, in the caller's transaction (with the state it produced). */
async function storeDecisionIn(tx: Tx, decision: Decision, now: Date): Promise<void> {
  const entries: NewLogEntry[] = decision.actions
    .filter((a): a is Extract<Action, { kind: 'record-decision' }> => a.kind === 'record-decision')
    .map((a) => ({ actor: a.owner, action: rolloutLogAction, subject: decision.state.rolloutId, reason: a.text, evidenceRef: a.id, at: now.toISOString() }));
  await appendLog(tx, entries, now);
  // A decision's log entry is its run: it is stored done.
  await insertActionsIn(
    tx,
    decision.state.rolloutId,
    decision.actions.map((action) => ({ action, status: action.kind === 'record-decision' ? ('done' as const) : ('pending' as const) })),
    now,
  );
}

/** Runs one pending action and records its result. */
async function runAction(store: Store, state: RolloutState, stored: StoredAction, deps: ReconcilerDeps, clock: Clock): Promise<void> {
  const action = stored.action;
  const failed = (reason: string): Observation => ({ type: 'action-failed', actionId: action.id, reason });
  const finish = (status: 'done' | 'failed', result: Observation | null) => store.db.transaction().execute((tx) => finishActionIn(tx, action.id, status, result, clock.now()));
  const target: DeployTarget = { service: state.service, upgrade: state.upgradeId, attempt: attemptOf(action.id), ...deps.versions };
  switch (action.kind) {
    case 'deploy': {
      const result = action.variant === 'canary' ? await deps.deployer.deployCanary(target) : await deps.deployer.deployBaseline(target);
      const evidence = JSON.stringify(result.evidence);
      await finish(result.ok ? 'done' : 'failed', { type: 'deploy-finished', actionId: action.id, ok: result.ok, ...(result.digest ? { digest: result.digest } : {}), evidence, ...(result.reason ? { reason: result.reason } : {}) });
      return;
    }
    case 'wait-for-health': {
      // A deploy resolves ok only once the variant's health check passed; asking again (idempotent:
      // the running variant is found) checks its health anew.
      const result = action.variant === 'canary' ? await deps.deployer.deployCanary(target) : await deps.deployer.deployBaseline(target);
      const ok = result.ok && result.health?.ok !== false;
      const reason = result.reason ?? result.health?.lastError;
      await finish(ok ? 'done' : 'failed', { type: 'health', actionId: action.id, ok, ...(ok || !reason ? {} : { reason }) });
      return;
    }
    case 'set-weights': {
      try {
        await deps.router.setWeights(action.weights);
        const read = await deps.router.verifyWeight();
        await finish('done', { type: 'weights-applied', actionId: action.id, ok: true, readBack: { canary: read.canary, baseline: read.baseline ?? 0 } });
      } catch (error) {
        await finish('failed', { type: 'weights-applied', actionId: action.id, ok: false, reason: `${deps.router.name}: ${messageOf(error)}` });
      }
      return;
    }
    case 'run-analysis': {
      try {
        const verdict = await deps.analyse(action, state);
        await finish('done', { type: 'verdict', actionId: action.id, verdict });
      } catch (error) {
        await finish('failed', failed(`analysis ${action.analysis}: ${messageOf(error)}`));
      }
      return;
    }
    case 'run-verification': {
      try {
        if (!deps.verify) throw new Error('no verification runner is configured');
        const verdict = await deps.verify(action, state);
        await finish('done', { type: 'verdict', actionId: action.id, verdict });
      } catch (error) {
        await finish('failed', failed(`verification check ${action.check}: ${messageOf(error)}`));
      }
      return;
    }
    case 'capture-baseline': {
      try {
        if (!deps.captureBaseline) throw new Error('no baseline capturer is configured');
        const captured = await deps.captureBaseline(action, state);
        await finish('done', { type: 'baseline-captured', actionId: action.id, ...captured });
      } catch (error) {
        await finish('failed', failed(`capturing the before-window: ${messageOf(error)}`));
      }
      return;
    }
    case 'remove-deployment':
    case 'promote-deployment': {
      const result =
        action.kind === 'promote-deployment' ? await deps.deployer.promote(target) : action.variant === 'canary' ? await deps.deployer.removeCanary(target) : await deps.deployer.removeBaseline(target);
      await finish(result.ok ? 'done' : 'failed', result.ok ? null : failed(`${result.operation}: ${result.reason ?? 'no reason given'}`));
      return;
    }
    case 'notify-owner':
    case 'request-approval': {
      const text =
        action.kind === 'notify-owner' ? action.text : `rollout ${state.rolloutId} of ${state.upgradeId} waits at ${action.weight}% for an approval by a holder of role ${action.role} other than ${action.excludedUser}`;
      try {
        await deps.notify(state.service, text);
        await finish('done', null);
      } catch (error) {
        await finish('failed', failed(`notifying ${state.service}'s owner: ${messageOf(error)}`));
      }
      return;
    }
    case 'record-evidence':
    case 'transition-upgrade': {
      // The upgrade's change and the action's completion commit together: exactly once.
      const at = clock.now();
      try {
        const moved = await store.db.transaction().execute(async (tx) => {
          const upgrade = await getUpgrade(tx, state.upgradeId);
          if (!upgrade) throw new UfError('not_found', `no upgrade ${state.upgradeId}`, { record: state.upgradeId });
          let after: Upgrade | undefined;
          if (action.kind === 'record-evidence') await addEvidenceIn(tx, upgrade.id, upgrade.version, { ...action.evidence, recordedAt: at.toISOString() });
          else after = await applyTransitionIn(tx, upgrade.id, upgrade.version, { event: action.event, actor: action.actor, reason: action.reason, at: at.toISOString(), steps: action.steps }, deps.gatePolicy);
          await finishActionIn(tx, action.id, 'done', null, at);
          return after;
        });
        if (moved && action.kind === 'transition-upgrade') deps.onTransitioned?.(moved, { actor: action.actor, reason: action.reason, at: at.toISOString() });
      } catch (error) {
        if (!(error instanceof UfError)) throw error;
        await finish('failed', failed(`${action.kind === 'transition-upgrade' ? `transition ${action.event}` : 'recording evidence'}: ${error.message}`));
      }
      return;
    }
    case 'record-decision':
      // Stored done with its log entry when it was decided; never pending.
      await finish('done', null);
      return;
  }
}

/** The attempt in an action id `<rollout>/a<attempt>/s<step>/<kind>/<seq>`, read from its end. */
function attemptOf(actionId: string): number {
  const parts = actionId.split('/');
  return Number(parts[parts.length - 4]!.slice(1));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
