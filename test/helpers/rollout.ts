import type { ResolvedRolloutPolicy, ResolvedRolloutStep } from '../../src/config/sections/rollout-policy.js';
import { fixedClock } from '../../src/core/clock.js';
import type { ChangeClass } from '../../src/core/upgrade/index.js';
import type { Verdict, VerdictOutcome } from '../../src/rollout/analysis/types.js';
import { decide, startRollout, type Action, type Observation, type RolloutState } from '../../src/rollout/engine/index.js';

/**
 * A cooperative reconciler for the rollout engine's tests: it feeds observations to `decide` on a
 * fixed clock and answers pending actions the way a healthy router, deployer and judge would.
 */

export const t0 = '2026-12-01T09:00:00.000Z';
export const minute = 60_000;

export function step(weight: number, gate: ResolvedRolloutStep['gate'], overrides: Partial<ResolvedRolloutStep> = {}): ResolvedRolloutStep {
  return {
    weight,
    minDurationMs: 5 * minute,
    maxDurationMs: 60 * minute,
    minSamples: 100,
    analysis: { name: 'slo', intervalMs: minute },
    gate,
    onFailure: 'rollback',
    ...overrides,
  };
}

export function policy(changeClass: ChangeClass = 'normal', overrides: Partial<ResolvedRolloutStep> = {}, weights = [5, 25, 50, 100]): ResolvedRolloutPolicy {
  const approval = { kind: 'approval', role: 'approver' } as const;
  return {
    service: 'checkout',
    changeClass,
    steps: weights.map((w, i) => step(w, changeClass !== 'standard' && i < weights.length - 1 ? approval : { kind: 'auto' }, overrides)),
  };
}

export function verdict(outcome: VerdictOutcome, count = 500): Verdict {
  return {
    judge: 'threshold',
    outcome,
    reason: `p95 ${outcome}`,
    evidence: [
      {
        metric: 'p95_latency',
        outcome: outcome === 'inconclusive' ? 'nodata' : outcome,
        critical: false,
        window: { start: t0, end: t0 },
        values: { canary: { count, value: 120 }, stable: { count: count * 19, value: 110 } },
        threshold: 'p95 < 250ms',
        statistics: {},
        reason: `p95 ${outcome}`,
      },
    ],
  };
}

export class Driver {
  readonly clock = fixedClock(t0);
  state: RolloutState;
  readonly actions: Action[] = [];
  /** Each decide call's input state and output, for invariants over the whole run. */
  readonly history: { before: RolloutState; after: RolloutState; actions: Action[] }[] = [];

  constructor(options: { policy?: ResolvedRolloutPolicy; baseline?: boolean; initiator?: string } = {}) {
    const started = startRollout(
      { rolloutId: 'ro_1', upgradeId: 'upg_1', initiator: options.initiator ?? 'alice', policy: options.policy ?? policy(), baseline: options.baseline ?? false },
      this.clock.now(),
    );
    this.state = started.state;
    this.actions.push(...started.actions);
  }

  feed(...observations: Observation[]): Action[] {
    const before = this.state;
    const { state, actions } = decide(before, observations, this.clock.now());
    this.history.push({ before, after: state, actions });
    this.state = state;
    this.actions.push(...actions);
    return actions;
  }

  wait(ms: number): Action[] {
    this.clock.advance(ms);
    return this.feed({ type: 'tick' });
  }

  pending(kind: string): Action | undefined {
    const id = this.state.pending.find((p) => p.kind === kind)?.id;
    return this.actions.find((a) => a.id === id);
  }

  /** Answers every pending deploy, health check and weight change as a healthy estate would. */
  settle(): void {
    for (let i = 0; i < 10; i++) {
      const answers: Observation[] = [];
      for (const p of this.state.pending) {
        const action = this.actions.find((a) => a.id === p.id);
        if (action?.kind === 'deploy') answers.push({ type: 'deploy-finished', actionId: p.id, ok: true, digest: `sha256:${action.variant}`, evidence: 'deployed' });
        if (action?.kind === 'wait-for-health') answers.push({ type: 'health', actionId: p.id, ok: true });
        if (action?.kind === 'set-weights') answers.push({ type: 'weights-applied', actionId: p.id, ok: true, readBack: action.weights });
      }
      if (answers.length === 0) return;
      this.feed(...answers);
    }
  }

  /** Lets a step run: each due analysis is answered with `outcome` until the engine stops asking. */
  analyse(outcome: VerdictOutcome = 'pass', count = 500, maxMinutes = 20): void {
    for (let i = 0; i < maxMinutes && this.state.phase === 'analysing'; i++) {
      this.wait(minute);
      const run = this.pending('run-analysis');
      if (run) this.feed({ type: 'verdict', actionId: run.id, verdict: verdict(outcome, count) });
      this.settle();
    }
  }

  of<K extends Action['kind']>(kind: K): Extract<Action, { kind: K }>[] {
    return this.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
  }
}
