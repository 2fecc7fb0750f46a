import type { ResolvedRolloutPolicy } from '../../config/sections/rollout-policy.js';
import { DecisionContext, keptAcrossSteps } from './context.js';
import type { Decision, RolloutState } from './types.js';

export interface StartRollout {
  rolloutId: string;
  upgradeId: string;
  /** Who starts it; they cannot approve its gates. */
  initiator: string;
  policy: ResolvedRolloutPolicy;
  /** Run a fresh baseline of the old version beside the canary, at the canary's weight. */
  baseline: boolean;
}

/** A new rollout: attempt 1, its versions being deployed; no traffic moves before they are healthy. */
export function startRollout(input: StartRollout, now: Date): Decision {
  const state: RolloutState = {
    rolloutId: input.rolloutId,
    upgradeId: input.upgradeId,
    service: input.policy.service,
    initiator: input.initiator,
    attempt: 0,
    steps: input.policy.steps,
    baseline: input.baseline,
    step: 0,
    phase: 'deploying',
    weights: { canary: 0, baseline: 0 },
    weightsConfirmed: true,
    upgradeStage: 'compat',
    failedInAttempt: false,
    stepPassed: false,
    deployed: [],
    healthy: [],
    verdicts: [],
    approvals: [],
    pending: [],
    seq: 0,
    ...(input.policy.verification ? { verification: { policy: input.policy.verification, round: 0, results: [] } } : {}),
  };
  const ctx = new DecisionContext(state, now);
  const baselineWindowMs = input.policy.verification?.baseline ? input.policy.verification.baselineWindowMs : undefined;
  if (baselineWindowMs !== undefined) {
    // The before-window is captured now, before any traffic moves: later the router may not remember it.
    const window = { start: new Date(now.getTime() - baselineWindowMs).toISOString(), end: now.toISOString() };
    const action = ctx.emit({ kind: 'capture-baseline', window });
    ctx.state.pending.push({ id: action.id, kind: 'capture-baseline', window });
  }
  startAttempt(ctx, input.initiator, `${input.initiator} started the rollout of ${input.upgradeId} on ${input.policy.service} (${input.policy.changeClass}: ${input.policy.steps.map((s) => `${s.weight}%`).join(', ')})`);
  return { state: ctx.state, actions: ctx.actions };
}

/** Attempt n+1 from its first step; earlier attempts' verdicts, approvals and deployments stay. */
export function startAttempt(ctx: DecisionContext, owner: string, text: string): void {
  const s = ctx.state;
  s.attempt += 1;
  s.step = 0;
  s.phase = 'deploying';
  s.pauseReason = undefined;
  s.failedInAttempt = false;
  s.stepPassed = false;
  s.stepStartedAt = undefined;
  s.stepDeadlineAt = undefined;
  s.nextAnalysisAt = undefined;
  s.windowWait = undefined;
  s.healthy = [];
  s.pending = s.pending.filter(keptAcrossSteps);
  if (s.verification) Object.assign(s.verification, { startedAt: undefined, endsAt: undefined, nextRunAt: undefined, measuredUntil: undefined, outcome: undefined });
  if (s.upgradeStage === 'rolled_back') {
    // The upgrade goes back to compatibility; start_canary checks its gate again for this attempt.
    ctx.emit({ kind: 'transition-upgrade', event: 'retry', actor: owner, reason: `attempt ${s.attempt} of rollout ${s.rolloutId}`, steps: s.steps.map((step) => step.weight) });
    s.upgradeStage = 'compat';
  }
  ctx.record(`attempt ${s.attempt}: ${text}`, owner);
  for (const variant of ctx.variants()) ctx.emitPending({ kind: 'deploy', variant }, variant);
}
