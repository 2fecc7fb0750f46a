/**
 * The engine bench's simulation: N rollouts of `standard` upgrades (automatic gates), each on its
 * own service, started together and driven the way a server loop would drive them: every sweep,
 * `reconcileOnce` for every rollout still running, a bounded number at a time, then the simulated
 * clock moves on by one sweep interval. `driveReducerOnly` runs the same plan through the pure
 * reducer with the actions answered in memory: the reference that shows what the store costs.
 */
import type { ResolvedRolloutPolicy } from '../../src/config/sections/rollout-policy.js';
import type { Clock } from '../../src/core/clock.js';
import type { GatePolicy } from '../../src/core/upgrade/index.js';
import { decide, finalPhases, startRollout, type Action, type Observation, type RolloutPhase, type RolloutState, type StartRollout } from '../../src/rollout/engine/index.js';
import { beginRollout, reconcileOnce, type ReconcilerDeps } from '../../src/rollout/reconciler/index.js';
import type { Store } from '../../src/store/open.js';
import { addEvidence, applyTransition, createUpgrade } from '../../src/store/repos/upgrades.js';
import type { TrafficRouter } from '../../src/traffic/types.js';
import { mulberry32 } from '../canary/prng.js';
import { observationFor, simulatedAnalysis, simulatedDeployer, simulatedRouter, type FailurePlan } from './simulated.js';

/** The simulated clock's start: every run, and the reference, begin at this instant. */
export const simulationStart = '2026-12-01T09:00:00.000Z';
const minute = 60_000;
const gatePolicy: GatePolicy = { rollbackDrillMaxAgeDays: 30 };
const versions = { fromVersion: '1.0.0', toVersion: '1.1.0' };

/** The knobs of one simulation; bench/engine.ts reads them from its flags. */
export interface SimulationOptions {
  rollouts: number;
  /** Share of rollouts whose canary fails its analysis at some step (0..1). */
  failShare: number;
  /** Simulated time between two sweeps of the server loop. */
  sweepMs: number;
  /** How many reconcileOnce calls run at once within a sweep. */
  concurrency: number;
  seed: number;
  /** Run a fresh baseline beside each canary (more actions per step). */
  baseline: boolean;
}

/** One rollout of the plan: its id, its own service, and whether (and where) its canary is bad. */
export interface PlannedRollout {
  rolloutId: string;
  service: string;
  /** The step whose analysis fails, when this rollout's canary is bad. */
  failAtStep?: number;
}

/**
 * The built-in `standard` policy (5, 25, 50, 100%; 5 min minimum and 1 h maximum per step, 50
 * samples, automatic gates, rollback on failure) with a one-minute analysis.
 */
export function benchPolicy(service: string): ResolvedRolloutPolicy {
  return {
    service,
    changeClass: 'standard',
    steps: [5, 25, 50, 100].map((weight) => ({
      weight,
      minDurationMs: 5 * minute,
      maxDurationMs: 60 * minute,
      minSamples: 50,
      analysis: { name: 'slo', intervalMs: minute },
      gate: { kind: 'auto' },
      onFailure: 'rollback',
    })),
  };
}

/** Which rollouts run, and which of them fail at which step: seeded, so every run plans the same. */
export function planRollouts(options: Pick<SimulationOptions, 'rollouts' | 'failShare' | 'seed'>): { rollouts: PlannedRollout[]; failures: FailurePlan } {
  const rng = mulberry32(options.seed);
  const width = String(options.rollouts).length;
  const failures = new Map<string, number>();
  const rollouts = Array.from({ length: options.rollouts }, (_, i) => {
    const n = String(i + 1).padStart(width, '0');
    const rollout: PlannedRollout = { rolloutId: `ro_bench_${n}`, service: `svc-${n}` };
    if (rng.next() < options.failShare) {
      rollout.failAtStep = Math.floor(rng.next() * 4);
      failures.set(rollout.rolloutId, rollout.failAtStep);
    }
    return rollout;
  });
  return { rollouts, failures };
}

/** Creates each rollout's upgrade and takes it to `compat` with the evidence `start_canary` needs (its change authorized, as a change board would record it). */
export async function prepareUpgrades(store: Store, rollouts: readonly PlannedRollout[], clock: Clock): Promise<Map<string, string>> {
  const upgrades = new Map<string, string>();
  for (const r of rollouts) {
    const at = () => clock.now().toISOString();
    let u = await createUpgrade(
      store,
      { ecosystem: 'npm', name: `bench-${r.service}`, purl: `pkg:npm/bench-${r.service}`, fromVersions: [versions.fromVersion], targetVersion: versions.toVersion, services: [r.service], changeClass: 'standard', createdBy: 'bench', reason: 'engine bench' },
      clock.now(),
    );
    for (const step of ['risk_score', 'triage', 'release_notes_ack', 'start_compat', 'compat_matrix', 'rollback_drill', 'change_authorized'] as const) {
      if (step === 'triage' || step === 'start_compat') u = await applyTransition(store, u.id, u.version, { event: step, actor: 'bench', reason: 'engine bench', at: at() }, gatePolicy);
      else u = await addEvidence(store, u.id, u.version, { kind: step, outcome: 'pass', ref: `bench:${step}`, summary: step, recordedBy: 'bench', recordedAt: at() });
    }
    upgrades.set(r.rolloutId, u.id);
  }
  return upgrades;
}

function startInput(r: PlannedRollout, upgradeId: string, baseline: boolean): StartRollout {
  return { rolloutId: r.rolloutId, upgradeId, initiator: 'bench', baseline, policy: benchPolicy(r.service) };
}

/** Runs `work` on every item, at most `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** One sweep of the server loop: how long it took, what it cost, and how many calls it made. */
export interface SweepFigures {
  wallMs: number;
  cpuMicros: number;
  calls: number;
}

/** What driving the rollouts through the reconciler and a store measured and ended in. */
export interface StoreRun {
  phases: Map<string, RolloutPhase>;
  /** Wall time of each reconcileOnce call (ms), as its caller saw it. */
  callMs: number[];
  /** The same, of the calls that found nothing to do (one round, no action run): most of a sweep. */
  idleCallMs: number[];
  /** The same, of the calls that decided or ran something. */
  busyCallMs: number[];
  /** decide() calls made by the reconciler: one per round. */
  decisions: number;
  /** Actions the reconciler ran. */
  actionsRun: number;
  sweeps: SweepFigures[];
  begin: SweepFigures;
  /** Simulated time from the start to the last rollout's end. */
  simulatedMs: number;
}

/** The simulation's knobs plus a bound that turns a rollout that never ends into an error. */
export interface StoreRunOptions extends SimulationOptions {
  /** Stops with an error when rollouts are still running after this many sweeps. */
  maxSweeps?: number;
}

/**
 * Begins every planned rollout, then sweeps until each is done or rolled back: the measured part
 * of the bench. `clock` must be a fixed clock the bench advances (`advance`), shared with the store.
 */
export async function driveWithStore(
  store: Store,
  plan: { rollouts: readonly PlannedRollout[]; failures: FailurePlan },
  upgrades: ReadonlyMap<string, string>,
  clock: Clock & { advance(ms: number): void },
  options: StoreRunOptions,
): Promise<StoreRun> {
  const routers = new Map<string, TrafficRouter>(plan.rollouts.map((r) => [r.service, simulatedRouter(r.service, options.baseline)]));
  const deployer = simulatedDeployer();
  const analyse = simulatedAnalysis(plan.failures);
  const depsFor = (service: string): ReconcilerDeps => ({
    deployer,
    router: routers.get(service)!,
    analyse,
    notify: () => Promise.resolve(),
    versions,
    gatePolicy,
  });
  const started = clock.now().getTime();
  const run: StoreRun = { phases: new Map(), callMs: [], idleCallMs: [], busyCallMs: [], decisions: 0, actionsRun: 0, sweeps: [], begin: { wallMs: 0, cpuMicros: 0, calls: 0 }, simulatedMs: 0 };
  run.begin = await measured(async () => {
    await eachLimited(plan.rollouts, options.concurrency, async (r) => {
      await beginRollout(store, startInput(r, upgrades.get(r.rolloutId)!, options.baseline), clock);
    });
    return plan.rollouts.length;
  });
  let active = [...plan.rollouts];
  const maxSweeps = options.maxSweeps ?? 10_000;
  while (active.length > 0) {
    if (run.sweeps.length >= maxSweeps) throw new Error(`${active.length} rollouts still running after ${maxSweeps} sweeps, e.g. ${active[0]!.rolloutId}`);
    const ended = new Set<string>();
    run.sweeps.push(
      await measured(async () => {
        await eachLimited(active, options.concurrency, async (r) => {
          const t = performance.now();
          const report = await reconcileOnce(store, r.rolloutId, depsFor(r.service), clock);
          const took = performance.now() - t;
          run.callMs.push(took);
          (report.rounds === 1 && report.ran.length === 0 ? run.idleCallMs : run.busyCallMs).push(took);
          run.decisions += report.rounds;
          run.actionsRun += report.ran.length;
          run.phases.set(r.rolloutId, report.state.phase);
          if (endedQuietly(report.state.phase)) ended.add(r.rolloutId);
        });
        return active.length;
      }),
    );
    active = active.filter((r) => !ended.has(r.rolloutId));
    if (active.length > 0) clock.advance(options.sweepMs);
  }
  run.simulatedMs = clock.now().getTime() - started;
  return run;
}

/**
 * A rollout whose reconcileOnce returned in a final phase has nothing left to do: the call ends
 * only on a round that observed, decided and ran nothing (or after maxRounds, which these short
 * policies never reach), so its cleanup actions already ran.
 */
function endedQuietly(phase: RolloutPhase): boolean {
  return finalPhases.includes(phase);
}

async function measured(work: () => Promise<number>): Promise<SweepFigures> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const calls = await work();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - t, cpuMicros: used.user + used.system, calls };
}

/** What the reducer-only reference measured and ended in. */
export interface ReducerRun {
  phases: Map<string, RolloutPhase>;
  decisions: number;
  /** Wall time of each decide() call (ms). */
  decideMs: number[];
  /** CPU of the whole reference run (decide, answering actions, bookkeeping). */
  cpuMicros: number;
  wallMs: number;
}

/**
 * The reference: the same plan, sweeps and rounds as the reconciler's loop, with the pure reducer
 * alone. Actions are answered in memory from the same simulated estate; nothing is stored.
 */
export function driveReducerOnly(plan: { rollouts: readonly PlannedRollout[]; failures: FailurePlan }, options: SimulationOptions): ReducerRun {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let now = Date.parse(simulationStart);
  const run: ReducerRun = { phases: new Map(), decisions: 0, decideMs: [], cpuMicros: 0, wallMs: 0 };
  interface Live {
    plan: PlannedRollout;
    state: RolloutState;
    pending: Action[];
    results: Observation[];
  }
  const keep = (live: Live, actions: readonly Action[]) => live.pending.push(...actions.filter((a) => a.kind !== 'record-decision'));
  let active: Live[] = plan.rollouts.map((r) => {
    const started = startRollout(startInput(r, `upg_${r.rolloutId}`, options.baseline), new Date(now));
    const live: Live = { plan: r, state: started.state, pending: [], results: [] };
    keep(live, started.actions);
    return live;
  });
  while (active.length > 0) {
    for (const live of active) {
      for (let round = 0; round < 50; round++) {
        const observations = live.results.splice(0);
        const t = performance.now();
        const decision = decide(live.state, observations.length > 0 ? observations : [{ type: 'tick' }], new Date(now));
        run.decideMs.push(performance.now() - t);
        run.decisions += 1;
        const changed = decision.actions.length > 0 || JSON.stringify(decision.state) !== JSON.stringify(live.state);
        live.state = decision.state;
        keep(live, decision.actions);
        const ran = live.pending.splice(0);
        for (const action of ran) {
          const observation = observationFor(action, live.state, plan.failures, versions);
          if (observation) live.results.push(observation);
        }
        if (!changed && observations.length === 0 && ran.length === 0) break;
      }
      run.phases.set(live.plan.rolloutId, live.state.phase);
    }
    active = active.filter((live) => !endedQuietly(live.state.phase));
    if (active.length > 0) now += options.sweepMs;
  }
  const used = process.cpuUsage(cpu);
  run.cpuMicros = used.user + used.system;
  run.wallMs = performance.now() - t0;
  return run;
}
