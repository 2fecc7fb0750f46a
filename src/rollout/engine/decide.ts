import { DecisionContext, engineActor, later } from './context.js';
import { applyCommand } from './commands.js';
import { enterStep, hasEnoughSamples, hasToleratedFailure, passGate, pauseFor, startStepClock, takeTrafficOff, windowOverride } from './steps.js';
import { finalPhases, type Decision, type Observation, type RolloutState, type WindowVerdict } from './types.js';
import { onBaselineCaptured, onVerificationVerdict, verificationOnTime } from './verification.js';

/**
 * The rollout engine's reducer: the state of a rollout, what the reconciler observed since, and
 * the time now, give the next state and the actions to run. Pure and deterministic: no I/O and no
 * clock read (`now` is an argument), so a test drives it with a fixed clock and the reconciler can
 * re-run it after a crash and get the same action ids.
 *
 * Rules, each enforced in one place:
 * - a step advances only after its minDuration, its minSamples per variant (counted in the
 *   verdict's evidence), a pass verdict, and its gate; a human's `promote` may skip the wait for
 *   the first two, never the pass nor the gate (steps.ts `passGate` and `advance`);
 * - a fail verdict takes traffic off at once (weights 0), records the evidence, notifies the owner
 *   and rolls the upgrade back, or pauses when the step says `onFailure: pause`; no weight rises
 *   again in the attempt (context.ts `setWeights`);
 * - inconclusive pauses and asks a human once the step's minDuration has passed (before, the data
 *   is still coming in and the analysis runs again); so does a step without a counted pass by its
 *   maxDuration;
 * - analysis goes on while a step waits for its approval, so a breach during the wait still
 *   takes traffic off;
 * - only a holder of the gate's role who is not the initiator approves, whatever the observation;
 * - `retry` after a rollback or abort starts attempt n+1 and keeps the earlier attempts' verdicts,
 *   approvals and deployments;
 * - an observation for an action that is no longer pending (a repeat after a crash, a verdict of
 *   an earlier step) changes nothing;
 * - a promotion (the canary's start, a step up) while the change window is closed waits in
 *   `awaiting-window` and goes ahead by itself once it opens, whatever its gate (an auto gate never
 *   bypasses a closed window); only an override by an approver or admin with a reason lets it
 *   through; taking traffic off is never held back (steps.ts `enterStep`, `windowOverride`).
 *
 * - after the last step the rollout verifies for the policy's window (verification.ts): rounds of
 *   checks against production; the round that reaches the window's end completes the upgrade when
 *   every check passed; a failed check is a regression (evidence, the owner told, and by policy
 *   paused with the upgrade in verifying, or traffic off and rolled back).
 *
 * `env.window` is the change windows' verdict for the service at `now`, asked by the reconciler;
 * without it no window applies.
 */
export interface DecideEnv {
  window?: WindowVerdict;
}

export function decide(state: RolloutState, observations: readonly Observation[], now: Date, env: DecideEnv = {}): Decision {
  const ctx = new DecisionContext(state, now, env.window);
  for (const observation of observations) observe(ctx, observation);
  onTime(ctx);
  return { state: ctx.state, actions: ctx.actions };
}

function observe(ctx: DecisionContext, o: Observation): void {
  const s = ctx.state;
  switch (o.type) {
    case 'deploy-finished': {
      const pending = ctx.takePending(o.actionId);
      if (!pending?.variant) return;
      if (!o.ok) {
        pauseFor(ctx, 'action-failed');
        ctx.notify(`rollout ${s.rolloutId}: deploying the ${pending.variant} failed: ${o.reason ?? 'no reason given'}`);
        ctx.record(`deploying the ${pending.variant} failed; paused until resumed or aborted: ${o.reason ?? 'no reason given'}`, engineActor, { observation: o });
        return;
      }
      s.deployed.push({ attempt: s.attempt, variant: pending.variant, digest: o.digest ?? 'unknown', evidence: o.evidence });
      ctx.record(`${pending.variant} deployed, artifact ${o.digest ?? 'without a digest'}`, engineActor, { observation: o });
      ctx.emitPending({ kind: 'wait-for-health', variant: pending.variant }, pending.variant);
      if (!s.pending.some((p) => p.kind === 'deploy') && s.phase === 'deploying') s.phase = 'health-check';
      return;
    }
    case 'health': {
      const pending = ctx.takePending(o.actionId);
      if (!pending?.variant) return;
      if (!o.ok) {
        pauseFor(ctx, 'action-failed');
        ctx.notify(`rollout ${s.rolloutId}: the ${pending.variant}'s health check failed: ${o.reason ?? 'no reason given'}`);
        ctx.record(`the ${pending.variant}'s health check failed; it gets no traffic: ${o.reason ?? 'no reason given'}`, engineActor, { observation: o });
        return;
      }
      s.healthy.push(pending.variant);
      const allHealthy = ctx.variants().every((v) => s.healthy.includes(v));
      if (allHealthy && (s.phase === 'health-check' || s.phase === 'deploying')) enterStep(ctx, 0, `${ctx.variants().join(' and ')} healthy`);
      return;
    }
    case 'weights-applied': {
      if (!ctx.takePending(o.actionId)) return;
      const matches = o.ok && (!o.readBack || (o.readBack.canary === s.weights.canary && o.readBack.baseline === s.weights.baseline));
      if (matches) {
        s.weightsConfirmed = true;
        if (s.phase === 'promoting') {
          s.phase = 'analysing';
          startStepClock(ctx);
        } else if (s.phase === 'paused' && !s.stepStartedAt && s.weights.canary > 0) startStepClock(ctx);
        if ((s.phase === 'rolled-back' || s.phase === 'aborted') && s.weights.canary === 0 && s.weights.baseline === 0) ctx.removeDeployments();
        return;
      }
      const why = o.ok ? `the router reads back ${JSON.stringify(o.readBack)}, not ${JSON.stringify(s.weights)}` : (o.reason ?? 'no reason given');
      if (s.weights.canary === 0 && s.weights.baseline === 0) {
        // Taking traffic off must not give up: ask again.
        ctx.setWeights({ canary: 0, baseline: 0 });
        ctx.record(`setting the weights to 0 failed (${why}); asking the router again`, engineActor, { observation: o });
        return;
      }
      pauseFor(ctx, 'weights-failed');
      ctx.notify(`rollout ${s.rolloutId}: the router did not take ${ctx.weightsText()}: ${why}`);
      ctx.record(`the router did not take ${ctx.weightsText()} (${why}); paused`, engineActor, { observation: o });
      return;
    }
    case 'verdict':
      return onVerdict(ctx, o);
    case 'baseline-captured':
      return onBaselineCaptured(ctx, o);
    case 'approval':
      return onApproval(ctx, o);
    case 'command':
      return applyCommand(ctx, o);
    case 'action-failed':
      return onActionFailed(ctx, o);
    case 'window-override':
      return windowOverride(ctx, o);
    case 'tick':
      return;
  }
}

function onVerdict(ctx: DecisionContext, o: Extract<Observation, { type: 'verdict' }>): void {
  const s = ctx.state;
  const pending = ctx.takePending(o.actionId);
  if (!pending?.window) return;
  if (pending.kind === 'run-verification') return onVerificationVerdict(ctx, pending, o.actionId, o.verdict);
  const step = ctx.currentStep;
  s.verdicts.push({ attempt: s.attempt, step: s.step, weight: step.weight, actionId: o.actionId, at: ctx.nowIso, window: pending.window, verdict: o.verdict });
  const evidence = { kind: 'analysis', ref: o.actionId, recordedBy: engineActor } as const;
  if (o.verdict.outcome === 'fail') {
    ctx.emit({ kind: 'record-evidence', evidence: { ...evidence, outcome: 'fail', summary: `${o.verdict.judge}: ${o.verdict.reason}` } });
    const then = step.onFailure === 'pause' ? 'traffic off, paused for a human' : 'traffic off, upgrade rolled back';
    takeTrafficOff(ctx, { outcome: step.onFailure, failed: true, owner: engineActor, verdict: o.verdict, text: `analysis ${step.analysis.name} failed at ${step.weight}%: ${o.verdict.reason}; ${then}` });
    return;
  }
  if (s.phase === 'awaiting-approval' || s.phase === 'awaiting-window') {
    s.nextAnalysisAt = later(ctx.now, step.analysis.intervalMs);
    return;
  }
  if (s.phase !== 'analysing') return;
  const longEnough = Date.parse(pending.window.end) - Date.parse(s.stepStartedAt ?? pending.window.end) >= step.minDurationMs;
  if (o.verdict.outcome === 'inconclusive') {
    // Within the step's minimum duration the data is still coming in: measure again. Past it, a human decides.
    if (!longEnough) {
      s.nextAnalysisAt = later(ctx.now, step.analysis.intervalMs);
      return;
    }
    pauseFor(ctx, 'inconclusive');
    ctx.notify(`rollout ${s.rolloutId} paused at ${step.weight}%: analysis ${step.analysis.name} was inconclusive (${o.verdict.reason}); resume to analyse again, or abort`);
    ctx.record(`analysis ${step.analysis.name} inconclusive at ${step.weight}%: ${o.verdict.reason}; paused, a human decides`, engineActor, { verdict: o.verdict });
    return;
  }
  // A pass that tolerated a failed measurement (a judge's failureLimit) keeps the step from failing,
  // but does not open its gate: the next clean measurement does.
  if (!longEnough || !hasEnoughSamples(o.verdict, step.minSamples) || hasToleratedFailure(o.verdict)) {
    s.nextAnalysisAt = later(ctx.now, step.analysis.intervalMs);
    return;
  }
  s.stepPassed = true;
  ctx.emit({ kind: 'record-evidence', evidence: { ...evidence, outcome: 'pass', summary: `${o.verdict.judge}: ${o.verdict.reason}` } });
  ctx.record(`analysis ${step.analysis.name} passed at ${step.weight}% after its minimum duration with at least ${step.minSamples} samples per variant`, engineActor, { verdict: o.verdict });
  passGate(ctx);
}

function onApproval(ctx: DecisionContext, o: Extract<Observation, { type: 'approval' }>): void {
  const s = ctx.state;
  const refuse = (why: string, refusedAs: 'forbidden' | 'conflict' = 'conflict') => ctx.record(`${o.decision} by ${o.by} refused: ${why}`, o.by, { observation: o, refusal: why, refusedAs });
  // Segregation of duties first, whatever the request said about itself and whatever the phase.
  if (o.by === s.initiator) return refuse(`${o.by} started this rollout and cannot ${o.decision} its gates`, 'forbidden');
  if (s.phase !== 'awaiting-approval') return refuse(`rollout ${s.rolloutId} is ${s.phase}, not waiting for an approval`);
  const step = ctx.currentStep;
  const role = step.gate.role!;
  if (!o.roles.includes(role)) return refuse(`${o.by} does not hold the role ${role} this gate needs`, 'forbidden');
  s.approvals.push({ attempt: s.attempt, step: s.step, by: o.by, role, decision: o.decision, at: ctx.nowIso });
  if (o.decision === 'reject') {
    takeTrafficOff(ctx, { outcome: 'rolled-back', failed: false, owner: o.by, text: `${o.by} (${role}) rejected step ${s.step + 1} at ${step.weight}%${o.reason ? `: ${o.reason}` : ''}; traffic off, upgrade rolled back` });
    return;
  }
  ctx.emit({ kind: 'record-evidence', evidence: { kind: 'approval', outcome: 'pass', summary: `${role} ${o.by} approved ${step.weight}%${o.reason ? `: ${o.reason}` : ''}`, ref: s.rolloutId, recordedBy: o.by } });
  ctx.record(`${o.by} (${role}) approved step ${s.step + 1} at ${step.weight}%`, o.by, { observation: o });
  passGate(ctx);
}

function onActionFailed(ctx: DecisionContext, o: Extract<Observation, { type: 'action-failed' }>): void {
  const s = ctx.state;
  if (!o.actionId.startsWith(`${s.rolloutId}/a${s.attempt}/`)) return;
  const kind = o.actionId.split('/')[3];
  const pending = ctx.takePending(o.actionId);
  if (kind === 'notify-owner') return ctx.record(`notifying the owner failed: ${o.reason}`, engineActor, { observation: o });
  // Without its before-window the verification's before/after comparison has no data (inconclusive): the rollout goes on.
  if (pending?.kind === 'capture-baseline') return ctx.record(`capturing the before-window failed: ${o.reason}; the before/after baselines will have no data`, engineActor, { observation: o });
  if (pending?.kind === 'set-weights' && s.weights.canary === 0 && s.weights.baseline === 0) {
    ctx.setWeights({ canary: 0, baseline: 0 });
    return ctx.record(`setting the weights to 0 failed (${o.reason}); asking the router again`, engineActor, { observation: o });
  }
  if (finalPhases.includes(s.phase)) return ctx.record(`${kind} failed after the attempt ended: ${o.reason}`, engineActor, { observation: o });
  pauseFor(ctx, 'action-failed');
  ctx.notify(`rollout ${s.rolloutId} paused: ${kind} failed: ${o.reason}`);
  ctx.record(`${kind} failed (${o.reason}); paused until resumed or aborted`, engineActor, { observation: o });
}

/** What time alone decides: a window that opened, an analysis that is due, a step past its maxDuration. */
function onTime(ctx: DecisionContext): void {
  const s = ctx.state;
  verificationOnTime(ctx);
  if (s.phase === 'awaiting-window' && s.windowWait) {
    const wait = s.windowWait;
    if (ctx.window === undefined || ctx.window.open) {
      enterStep(ctx, wait.step, `${wait.cause}; the change window is open${ctx.window ? ` (${ctx.window.reason})` : ''}`);
      return;
    }
    // Still closed: keep the next opening up to date (windows are configuration, and may change).
    wait.nextOpenAt = ctx.window.nextOpenAt ?? null;
    wait.reason = ctx.window.reason;
  }
  if ((s.phase !== 'analysing' && s.phase !== 'awaiting-approval' && s.phase !== 'awaiting-window') || !s.stepStartedAt) return;
  const step = ctx.currentStep;
  const now = ctx.now.getTime();
  if (s.phase === 'analysing' && !s.stepPassed && s.stepDeadlineAt && now >= Date.parse(s.stepDeadlineAt)) {
    pauseFor(ctx, 'too-few-samples');
    const text = `no counted passing analysis at ${step.weight}% within its maximum duration (${step.minSamples} samples per variant needed); paused, a human decides`;
    ctx.notify(`rollout ${s.rolloutId}: ${text}`);
    ctx.record(text, engineActor);
    return;
  }
  if (s.pending.some((p) => p.kind === 'run-analysis') || !s.nextAnalysisAt || now < Date.parse(s.nextAnalysisAt)) return;
  const start = Math.max(Date.parse(s.stepStartedAt), step.analysis.windowMs === undefined ? -Infinity : now - step.analysis.windowMs);
  const window = { start: new Date(start).toISOString(), end: ctx.nowIso };
  s.nextAnalysisAt = undefined;
  const action = ctx.emit({ kind: 'run-analysis', analysis: step.analysis.name, window });
  s.pending.push({ id: action.id, kind: 'run-analysis', window });
}

