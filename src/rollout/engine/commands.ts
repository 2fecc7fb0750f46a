import { DecisionContext, keptAcrossSteps, later } from './context.js';
import { resumeVerification } from './verification.js';
import { startAttempt } from './start.js';
import { enterStep, hasToleratedFailure, passGate, pauseFor, startStepClock, takeTrafficOff } from './steps.js';
import { finalPhases, type Observation, type RolloutPhase } from './types.js';

type Command = Extract<Observation, { type: 'command' }>;

const pausable: readonly RolloutPhase[] = ['promoting', 'analysing', 'awaiting-approval', 'awaiting-window', 'verifying'];

/** A person's command. Each is a decision in the log, a refused one with its reason. */
export function applyCommand(ctx: DecisionContext, o: Command): void {
  const s = ctx.state;
  const refuse = (why: string) => ctx.record(`${o.command} by ${o.actor} refused: ${why}`, o.actor, { observation: o, refusal: why, refusedAs: 'conflict' });
  const why = o.reason ? `: ${o.reason}` : '';
  switch (o.command) {
    case 'pause':
      if (!pausable.includes(s.phase)) return refuse(`rollout ${s.rolloutId} is ${s.phase}; only a rollout at a step can be paused`);
      pauseFor(ctx, 'manual');
      return ctx.record(`${o.actor} paused the rollout at ${s.weights.canary}%${why}`, o.actor, { observation: o });
    case 'resume':
      if (s.phase !== 'paused') return refuse(`rollout ${s.rolloutId} is ${s.phase}, not paused`);
      if (s.pauseReason === 'failed') return refuse('an analysis failed in this attempt and traffic stays off: abort, then retry for a new attempt');
      ctx.record(`${o.actor} resumed the rollout (paused: ${s.pauseReason ?? 'manual'})${why}`, o.actor, { observation: o });
      return resumeWork(ctx);
    case 'promote': {
      // Segregation of duties: the person who started the rollout never also moves it up a step.
      if (o.actor === s.initiator) return ctx.record(`promote by ${o.actor} refused: ${o.actor} started this rollout and cannot promote it`, o.actor, { observation: o, refusal: `${o.actor} started this rollout and cannot promote it`, refusedAs: 'forbidden' });
      if (s.phase !== 'analysing') return refuse(`rollout ${s.rolloutId} is ${s.phase}; promote skips the rest of a step's wait, after a passing analysis`);
      const latest = s.verdicts.filter((v) => v.attempt === s.attempt && v.step === s.step).at(-1);
      if (latest?.verdict.outcome !== 'pass') return refuse(`no passing analysis at ${ctx.currentStep.weight}% yet: no step is promoted without one`);
      if (hasToleratedFailure(latest.verdict)) return refuse(`the latest analysis at ${ctx.currentStep.weight}% passed with a tolerated failed measurement: wait for a clean one`);
      s.stepPassed = true;
      ctx.emit({ kind: 'record-evidence', evidence: { kind: 'analysis', outcome: 'pass', summary: `${latest.verdict.judge}: ${latest.verdict.reason} (promoted by ${o.actor} before the step's minimum)`, ref: latest.actionId, recordedBy: o.actor } });
      ctx.record(`${o.actor} promoted past the rest of the ${ctx.currentStep.weight}% step's wait on the passing analysis ${latest.actionId}${why}`, o.actor, { observation: o, verdict: latest.verdict });
      return passGate(ctx);
    }
    case 'abort':
      if (finalPhases.includes(s.phase)) return refuse(`rollout ${s.rolloutId} is already ${s.phase}`);
      return takeTrafficOff(ctx, { outcome: 'aborted', failed: false, owner: o.actor, text: `${o.actor} aborted the rollout at ${s.weights.canary}%${why}; traffic off` });
    case 'retry':
      if (s.phase !== 'rolled-back' && s.phase !== 'aborted') return refuse(`rollout ${s.rolloutId} is ${s.phase}; retry starts a new attempt after a rollback or an abort`);
      return startAttempt(ctx, o.actor, `${o.actor} retried after attempt ${s.attempt} ended ${s.phase}${why}`);
  }
}

/** Picks a paused rollout up where it stopped: what is missing is asked for again. */
export function resumeWork(ctx: DecisionContext): void {
  const s = ctx.state;
  s.pauseReason = undefined;
  const undeployed = ctx.variants().filter((v) => !s.deployed.some((d) => d.attempt === s.attempt && d.variant === v));
  const unhealthy = ctx.variants().filter((v) => !s.healthy.includes(v));
  if (undeployed.length > 0 || unhealthy.length > 0) {
    s.phase = undeployed.length > 0 ? 'deploying' : 'health-check';
    s.pending = s.pending.filter(keptAcrossSteps);
    for (const variant of undeployed) ctx.emitPending({ kind: 'deploy', variant }, variant);
    for (const variant of unhealthy.filter((v) => !undeployed.includes(v))) ctx.emitPending({ kind: 'wait-for-health', variant }, variant);
    return;
  }
  if (!s.weightsConfirmed) {
    ctx.setWeights(s.weights);
    s.phase = 'promoting';
    return;
  }
  // Paused while a promotion waited for a window: it asks the window again.
  if (s.windowWait) return enterStep(ctx, s.windowWait.step, s.windowWait.cause);
  // Past 100%, in verification: a new verification window.
  if (s.verification && s.upgradeStage === 'verifying') return resumeVerification(ctx);
  if (s.stepPassed) return passGate(ctx);
  s.phase = 'analysing';
  if (!s.stepStartedAt) startStepClock(ctx);
  s.stepDeadlineAt = later(ctx.now, ctx.currentStep.maxDurationMs);
  if (!s.pending.some((p) => p.kind === 'run-analysis')) s.nextAnalysisAt = ctx.nowIso;
}
