import { beginImplementation } from '../governance/changes/service.js';
import { changeDeps } from './changes.js';
import { guardCanaryStart } from './guards.js';
import { windowChecker } from '../governance/windows/service.js';
import type { LogEntry } from '../audit/chain.js';
import { resolveRolloutPolicy } from '../config/sections/rollout-policy.js';
import { UfError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Role } from '../core/roles.js';
import { transition, type Upgrade } from '../core/upgrade/index.js';
import { finalPhases, type Observation, type RolloutCommand, type RolloutState } from '../rollout/engine/index.js';
import { beginRollout, decideWaiting, decisionRecords, reconcileOnce, rolloutLogAction, type DecisionRecord, type ReconcileReport, type ReconcilerDeps } from '../rollout/reconciler/index.js';
import { getAction, getInput, getRollout, listActions, listRollouts, queueInput, rolloutsWithWork, unfinishedRolloutIds, type StoredRollout } from '../rollout/store/rollouts.js';
import { LeaseHeldError } from '../store/repos/leases.js';
import { readLog } from '../store/repos/operation-log.js';
import { findService } from '../store/repos/catalog.js';
import { getUpgrade } from '../store/repos/upgrades.js';
import { analysisSpecs, reconcilerDeps, requireDeployer, requireRouter, type RolloutDrivers } from './rollout-deps.js';
import { trafficRouterEntries } from '../config/sections/traffic.js';
import type { TrafficRouter } from '../traffic/types.js';
import type { AppRoot } from './root.js';

/**
 * The rollout use cases every front end shares (CLI, API, demo): start a rollout, hand it a
 * person's approval or command, show it, and drive every rollout with work in a loop. The engine
 * itself (reducer, reconciler) is in `src/rollout`; this wires it to the configuration, the
 * adapters, the routers the front end runs and the event bus.
 */

export interface RolloutView {
  id: string;
  upgradeId: string;
  service: string;
  attempt: number;
  createdAt: string;
  updatedAt: string;
  /** The reducer's state: step, phase, weights, verdicts with evidence, approvals, deployments. */
  state: RolloutState;
  /** With its decisions: each weight change the router confirmed, oldest first (its set-weights actions). */
  weights?: { at: string; canary: number; baseline: number }[];
  /** Its decisions from the operation log, oldest first, when asked for. */
  decisions?: LogEntry[];
}

export type PersonInput =
  | { type: 'approval'; by: string; roles: readonly Role[]; decision: 'approve' | 'reject'; reason?: string }
  | { type: 'command'; command: RolloutCommand; actor: string; reason?: string }
  | { type: 'window-override'; by: string; roles: readonly Role[]; reason: string };

export interface SubmitOutcome {
  /** accepted or refused by the engine; queued when the process driving it has not decided yet. */
  status: 'accepted' | 'refused' | 'queued';
  inputId: string;
  /** The decisions made on it (and anything decided in the same pass), as logged. */
  decisions: DecisionRecord[];
  /** The engine's reason, when refused. */
  refusal?: string;
  /** forbidden: this person may never (self-approval, a missing role); conflict: not in this phase. */
  refusedAs?: 'forbidden' | 'conflict';
  rollout: RolloutView;
}

export interface StartInput {
  upgradeId: string;
  /** Which of the upgrade's services; may be left out when it has one. */
  service?: string;
  actor: string;
  /** Run a fresh baseline of the old version beside the canary (needs a router with a baseline upstream). */
  baseline?: boolean;
}

export interface Rollouts {
  start(input: StartInput): Promise<RolloutView>;
  submit(rolloutId: string, input: PersonInput): Promise<SubmitOutcome>;
  /** One reconcile pass: run what is pending and decide on the results (`reconcileOnce`). */
  reconcile(rolloutId: string): Promise<ReconcileReport>;
  /** Reconciles every rollout with work (or not finished) every `intervalMs` until `signal` aborts. */
  runLoop(options: { signal: AbortSignal; intervalMs?: number; concurrency?: number }): Promise<void>;
  get(rolloutId: string, options?: { withDecisions?: boolean }): Promise<RolloutView>;
  list(filter?: { upgradeId?: string; limit?: number }): Promise<RolloutView[]>;
}

/** How long `submit` waits for a busy driver to decide on a queued input. */
const submitWaitMs = 20_000;

export function createRollouts(root: AppRoot, drivers: Partial<RolloutDrivers> & Pick<RolloutDrivers, 'routerFor'>): Rollouts {
  const { store, clock, events, adapters, logger } = root;
  const config = root.loaded.config;
  const analyses = analysisSpecs(config, adapters);
  const notify =
    drivers.notify ??
    (async (service: string, text: string) => {
      // The owner is the catalog's: whoever subscribes to the event stream for that team hears it.
      const owner = (await findService(store.db, service))?.owner ?? null;
      logger.info({ service, owner, text }, 'rollout notification');
      events.publish({ type: 'rollout.notification', service, owner, text, at: clock.now().toISOString() });
    });
  const allDrivers: RolloutDrivers = { routerFor: drivers.routerFor, notify };
  const windowAt = windowChecker({ db: store.db, section: config.windows });
  const holder = `uf:${process.pid}:${newId('run').slice(4, 12)}`;

  // When a step's traffic is confirmed, its window opens: providers that read counters (a Prometheus
  // text endpoint) take their starting reading now. Once per step start; they never reject.
  const windowsOpened = new Map<string, string>();
  const openWindow = (state: RolloutState) => {
    const step = state.steps[state.step];
    if (!state.stepStartedAt || !step || windowsOpened.get(state.rolloutId) === state.stepStartedAt) return;
    windowsOpened.set(state.rolloutId, state.stepStartedAt);
    const spec = analyses[step.analysis.name];
    if (!spec) return;
    const window = { start: state.stepStartedAt, end: state.stepStartedAt };
    const variants = step.weight >= 100 ? (['canary'] as const) : (['canary', state.baseline ? 'baseline' : 'stable'] as const);
    for (const metric of spec.metrics) {
      for (const variant of variants) void metric.provider.startWindow?.({ metric: metric.metric, service: state.service, variant, window, settings: metric.settings });
    }
  };

  // As a verification window opens, the same for the metrics of its checks, on the new version.
  const openVerification = (state: RolloutState) => {
    const v = state.verification;
    const key = `${state.rolloutId}/verification`;
    if (state.phase !== 'verifying' || !v?.startedAt || windowsOpened.get(key) === v.startedAt) return;
    windowsOpened.set(key, v.startedAt);
    const window = { start: v.startedAt, end: v.startedAt };
    for (const check of v.policy.checks) {
      for (const metric of analyses[check.analysis]?.metrics ?? []) void metric.provider.startWindow?.({ metric: metric.metric, service: state.service, variant: 'canary', window, settings: metric.settings });
    }
  };

  const onDecided = (state: RolloutState, decisions: readonly DecisionRecord[]) => {
    openWindow(state);
    openVerification(state);
    events.publish({
      type: 'rollout.updated',
      rolloutId: state.rolloutId,
      upgradeId: state.upgradeId,
      service: state.service,
      attempt: state.attempt,
      phase: state.phase,
      ...(state.pauseReason ? { pauseReason: state.pauseReason } : {}),
      step: state.step,
      weight: state.steps[state.step]?.weight ?? 0,
      weights: state.weights,
      decisions: decisions.map((d) => ({ owner: d.owner, text: d.text })),
      at: clock.now().toISOString(),
    });
  };

  const onTransitioned = (upgrade: Upgrade, t: { actor: string; reason: string; at: string }) =>
    events.publish({ type: 'upgrade.transitioned', upgradeId: upgrade.id, to: upgrade.state, actor: t.actor, reason: t.reason, at: t.at });

  const depsFor = async (state: RolloutState): Promise<ReconcilerDeps> => {
    const upgrade = await requireUpgrade(state.upgradeId);
    return { ...reconcilerDeps({ config, adapters, drivers: allDrivers, analyses, db: store.db, clock }, upgrade, state.service), onDecided, onTransitioned, windowAt };
  };

  const requireUpgrade = async (id: string): Promise<Upgrade> => {
    const upgrade = await getUpgrade(store.db, id);
    if (!upgrade) throw new UfError('not_found', `no upgrade ${id}`, { record: id });
    return upgrade;
  };

  const requireRollout = async (id: string): Promise<StoredRollout> => {
    const stored = await getRollout(store.db, id);
    if (!stored) throw new UfError('not_found', `no rollout ${id}`, { record: id });
    return stored;
  };

  const view = async (stored: StoredRollout, withDecisions = false): Promise<RolloutView> => {
    const decisions: LogEntry[] = [];
    if (!withDecisions) return { id: stored.id, upgradeId: stored.upgradeId, service: stored.service, attempt: stored.attempt, createdAt: stored.createdAt, updatedAt: stored.updatedAt, state: stored.state };
    for await (const entry of readLog(store.db, { subject: stored.id })) if (entry.action === rolloutLogAction) decisions.push(entry);
    const weights = (await listActions(store.db, stored.id)).flatMap((a) =>
      a.action.kind === 'set-weights' && a.status === 'done' && a.finishedAt ? [{ at: a.finishedAt, ...a.action.weights }] : [],
    );
    return { id: stored.id, upgradeId: stored.upgradeId, service: stored.service, attempt: stored.attempt, createdAt: stored.createdAt, updatedAt: stored.updatedAt, state: stored.state, decisions, weights };
  };

  const reconcile = async (rolloutId: string, options: { leaseWaitMs?: number } = {}) => {
    const stored = await requireRollout(rolloutId);
    return reconcileOnce(store, rolloutId, await depsFor(stored.state), clock, { holder, ...options });
  };

  return {
    async start(input) {
      let upgrade = await requireUpgrade(input.upgradeId);
      const service = pickService(upgrade, input.service);
      if (upgrade.state !== 'compat') {
        throw new UfError('gate_refused', `upgrade ${upgrade.id} is ${upgrade.state}; a rollout starts from compat (release notes acknowledged, compatibility recorded)`, { record: upgrade.id });
      }
      const running = (await listRollouts(store.db, { upgradeId: upgrade.id })).find((r) => !finalPhases.includes(r.state.phase));
      if (running) throw new UfError('conflict', `upgrade ${upgrade.id} already has rollout ${running.id} (${running.state.phase}); abort it first`, { record: running.id });
      const policy = resolveRolloutPolicy(config, service, upgrade.changeClass);
      checkDrivable(service, input.baseline ?? false);
      // The anti-pattern guards (bundling, rollback drill) before the gate; the drill becomes its evidence.
      upgrade = await guardCanaryStart(root, upgrade, service, input.actor);
      // The canary's gate, checked now so a missing record is refused before anything is deployed.
      transition(upgrade, { event: 'start_canary', actor: input.actor, reason: 'checking the gate before a rollout starts', at: clock.now().toISOString(), steps: policy.steps.map((s) => s.weight) }, config.policy);
      // Segregation of duties: whoever starts it implements the change, and must not have approved it.
      await beginImplementation(changeDeps(root), upgrade.id, input.actor);
      const rolloutId = newId('rol');
      await beginRollout(store, { rolloutId, upgradeId: upgrade.id, initiator: input.actor, policy, baseline: input.baseline ?? false }, clock, onDecided);
      return view(await requireRollout(rolloutId), true);
    },

    async submit(rolloutId, input) {
      await requireRollout(rolloutId);
      const actor = input.type === 'command' ? input.actor : input.by;
      const queued = await queueInput(store.db, rolloutId, input as Observation, actor, clock.now());
      let decisions: DecisionRecord[] = [];
      try {
        await decideWaiting(store, rolloutId, clock, { holder, leaseWaitMs: 2_000, windowAt, onDecided: (state, made) => ((decisions = [...decisions, ...made]), onDecided(state, made)) });
      } catch (error) {
        if (!(error instanceof LeaseHeldError)) throw error;
        // The process driving the rollout holds it: it hands the input over at its next round.
        const deadline = performance.now() + submitWaitMs;
        while (performance.now() < deadline && !(await getInput(store.db, queued.id))?.observedAt) await new Promise((r) => setTimeout(r, 200));
        if (!(await getInput(store.db, queued.id))?.observedAt) return { status: 'queued', inputId: queued.id, decisions: [], rollout: await view(await requireRollout(rolloutId)) };
        decisions = await decisionsAbout(rolloutId, actor, queued.createdAt);
      }
      const mine = decisions.filter((d) => d.owner === actor);
      const refused = mine.find((d) => d.refusal !== undefined);
      return {
        status: refused ? 'refused' : 'accepted',
        inputId: queued.id,
        decisions,
        ...(refused ? { refusal: refused.refusal!, refusedAs: refused.refusedAs ?? 'conflict' } : {}),
        rollout: await view(await requireRollout(rolloutId)),
      };
    },

    reconcile: (rolloutId) => reconcile(rolloutId),

    async runLoop({ signal, intervalMs = 1_000, concurrency = 16 }) {
      const inFlight = new Map<string, Promise<void>>();
      while (!signal.aborted) {
        const ids = await activeRolloutIds().catch((error: unknown) => (logger.error({ err: error }, 'listing rollouts failed'), []));
        for (const id of ids) {
          if (inFlight.has(id) || inFlight.size >= concurrency) continue;
          const run = reconcile(id, { leaseWaitMs: 0 })
            .then(() => undefined)
            .catch((error: unknown) => {
              if (!(error instanceof LeaseHeldError)) logger.error({ err: error, rollout: id }, 'reconciling a rollout failed');
            })
            .finally(() => inFlight.delete(id));
          inFlight.set(id, run);
        }
        await new Promise<void>((resolve) => {
          // The listener goes with its round: one per round would pile up on a long-lived signal.
          const onAbort = () => (clearTimeout(timer), resolve());
          const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), intervalMs);
          signal.addEventListener('abort', onAbort, { once: true });
        });
      }
      await Promise.all(inFlight.values());
    },

    async get(rolloutId, options = {}) {
      return view(await requireRollout(rolloutId), options.withDecisions ?? false);
    },

    async list(filter = {}) {
      return Promise.all((await listRollouts(store.db, filter)).map((r) => view(r)));
    },
  };

  /**
   * Refuses a start that could not run: no deployer, no router, or a baseline the router cannot
   * take. A built-in router runs in the process that serves (uf serve); started from elsewhere, the
   * rollout is stored and that process drives it, so only its being configured is checked here.
   */
  function checkDrivable(service: string, baseline: boolean): void {
    requireDeployer(adapters, service);
    let router: TrafficRouter;
    try {
      router = requireRouter(allDrivers, service);
    } catch (error) {
      // Configured but run by another process (a built-in router outside uf serve): that process drives it.
      if (error instanceof UfError && configuredRouter(service) && !baseline) return;
      throw error;
    }
    if (baseline && !router.baselineConfigured) {
      throw new UfError('usage', `the router of ${service} (${router.name}) has no baseline upstream: configure one, or start without --baseline`, { path: 'traffic.routers' });
    }
  }

  function configuredRouter(service: string): boolean {
    return trafficRouterEntries(config.traffic).some((e) => e.router.service.toLowerCase() === service.toLowerCase());
  }

  async function activeRolloutIds(): Promise<string[]> {
    const open = await unfinishedRolloutIds(store.db, finalPhases);
    return [...new Set([...open, ...(await rolloutsWithWork(store.db))])];
  }

  /** Decisions logged about a rollout since `since` by `actor` (an input decided by another process). */
  async function decisionsAbout(rolloutId: string, actor: string, since: string): Promise<DecisionRecord[]> {
    const found: DecisionRecord[] = [];
    for await (const entry of readLog(store.db, { subject: rolloutId })) {
      if (entry.action !== rolloutLogAction || entry.actor !== actor || entry.at < since || !entry.evidenceRef) continue;
      // The log entry's evidence ref is the decision's action, which holds what it rested on.
      const stored = await getAction(store.db, entry.evidenceRef);
      if (stored) found.push(...decisionRecords([stored.action]));
    }
    return found;
  }
}

/** The service a rollout of `upgrade` runs on: the one named (case-insensitively), or its only one. */
function pickService(upgrade: Upgrade, wanted: string | undefined): string {
  if (wanted !== undefined) {
    const found = upgrade.services.find((s) => s.toLowerCase() === wanted.toLowerCase());
    if (!found) throw new UfError('usage', `upgrade ${upgrade.id} does not touch service ${wanted}; it touches ${upgrade.services.join(', ') || 'no service'}`, { record: upgrade.id });
    return found;
  }
  if (upgrade.services.length === 1) return upgrade.services[0]!;
  throw new UfError('usage', `upgrade ${upgrade.id} touches ${upgrade.services.length === 0 ? 'no service' : `several services (${upgrade.services.join(', ')})`}: name one with --service`, { record: upgrade.id });
}
