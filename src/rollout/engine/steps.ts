import type { Verdict } from '../analysis/types.js';
import { DecisionContext, engineActor, later } from './context.js';
import type { FailureAction } from '../../config/sections/rollout.js';
import type { PauseReason } from './types.js';

/**
 * How a rollout moves through its steps: entering one, passing its gate, advancing, failing.
 * Used by `decide` only; each function changes the context's state and emits the actions.
 */

/** Weights for a step, after the upgrade transition that allows them (start_canary, promote). */
export function enterStep(ctx: DecisionContext, index: number, reason: string): void {
  const s = ctx.state;
  s.step = index;
  s.stepPassed = false;
  // A verdict still on its way measured the step before: it must not count for this one.
  s.pending = s.pending.filter((p) => p.kind !== 'run-analysis');
  s.stepStartedAt = undefined;
  s.stepDeadlineAt = undefined;
  s.nextAnalysisAt = undefined;
  const event = index === 0 ? 'start_canary' : 'promote';
  ctx.emit({ kind: 'transition-upgrade', event, actor: engineActor, reason, steps: s.steps.map((step) => step.weight) });
  s.upgradeStage = index === 0 ? 'canary' : 'progressive';
  ctx.setWeights(ctx.weightsOf(index));
  s.phase = 'promoting';
  ctx.record(`step ${index + 1} of ${s.steps.length}: ${ctx.weightsText()} (${reason})`, engineActor);
}

/** The router confirmed the step's weights: its clock starts now. */
export function startStepClock(ctx: DecisionContext): void {
  const s = ctx.state;
  const step = ctx.currentStep;
  s.stepStartedAt = ctx.nowIso;
  s.stepDeadlineAt = later(ctx.now, step.maxDurationMs);
  s.nextAnalysisAt = later(ctx.now, step.analysis.intervalMs);
}

/** Whether every variant of every judged metric has the step's minimum of samples. */
export function hasEnoughSamples(verdict: Verdict, minSamples: number): boolean {
  if (minSamples === 0) return true;
  if (verdict.evidence.length === 0) return false;
  return verdict.evidence.every((metric) => {
    const counts = Object.values(metric.values).map((v) => v?.count ?? 0);
    return counts.length > 0 && counts.every((count) => count >= minSamples);
  });
}

/** Whether a passing verdict carries a failed metric its judge tolerated (failureLimit): not a clean pass. */
export function hasToleratedFailure(verdict: Verdict): boolean {
  return verdict.evidence.some((metric) => metric.outcome === 'fail');
}

/** The step's analysis passed (and counted): its gate decides what comes next. */
export function passGate(ctx: DecisionContext): void {
  const s = ctx.state;
  const step = ctx.currentStep;
  if (!s.stepPassed) throw new Error(`rollout ${s.rolloutId}: a gate was reached without a passing analysis`);
  if (step.gate.kind === 'auto') return advance(ctx, `step ${s.step + 1} passed its analysis; gate auto`);
  const role = step.gate.role!;
  const approved = s.approvals.find((a) => a.attempt === s.attempt && a.step === s.step && a.decision === 'approve');
  if (approved) return advance(ctx, `step ${s.step + 1} passed its analysis; approved by ${approved.by} (${approved.role})`);
  s.phase = 'awaiting-approval';
  // The canary keeps its traffic while a person decides: analysis goes on, so a breach still rolls back.
  if (!s.pending.some((p) => p.kind === 'run-analysis')) s.nextAnalysisAt = later(ctx.now, step.analysis.intervalMs);
  ctx.emit({ kind: 'request-approval', role, excludedUser: s.initiator, weight: step.weight });
  ctx.notify(`rollout ${s.rolloutId} of ${s.upgradeId} waits at ${step.weight}% for an approval by a holder of role ${role} other than ${s.initiator}`);
  ctx.record(`step ${s.step + 1} at ${step.weight}% passed its analysis and waits for an approval by a holder of role ${role} (not ${s.initiator})`, engineActor);
}

function advance(ctx: DecisionContext, reason: string): void {
  const s = ctx.state;
  if (!s.stepPassed) throw new Error(`rollout ${s.rolloutId}: refusing to advance a step without a passing analysis`);
  if (s.step < s.steps.length - 1) return enterStep(ctx, s.step + 1, reason);
  ctx.emit({ kind: 'transition-upgrade', event: 'start_verification', actor: engineActor, reason, steps: s.steps.map((step) => step.weight) });
  s.upgradeStage = 'verifying';
  s.phase = 'done';
  s.pending = s.pending.filter((p) => p.kind === 'set-weights');
  ctx.emit({ kind: 'promote-deployment' });
  ctx.removeDeployments(['baseline']);
  ctx.notify(`rollout ${s.rolloutId} of ${s.upgradeId} reached 100%; verification starts`);
  ctx.record(`rollout complete at 100% (${reason}); the upgrade moves to verification`, engineActor);
}

/**
 * Takes traffic off the new version at once: weights to 0 and, unless the step pauses on failure,
 * the upgrade to rolled_back. Used by a failed verdict, a rejection and an abort.
 */
export function takeTrafficOff(
  ctx: DecisionContext,
  how: { outcome: 'rolled-back' | 'aborted' | FailureAction; failed: boolean; owner: string; text: string; verdict?: Verdict },
): void {
  const s = ctx.state;
  if (how.failed) s.failedInAttempt = true;
  // Unconfirmed weights may be in force on the router: set 0 whenever anything may be above it.
  if (s.weights.canary > 0 || s.weights.baseline > 0 || !s.weightsConfirmed) ctx.setWeights({ canary: 0, baseline: 0 });
  s.pending = s.pending.filter((p) => p.kind === 'set-weights');
  s.nextAnalysisAt = undefined;
  const pause = how.outcome === 'pause';
  if (!pause && (s.upgradeStage === 'canary' || s.upgradeStage === 'progressive' || s.upgradeStage === 'verifying')) {
    ctx.emit({ kind: 'transition-upgrade', event: 'rollback', actor: how.owner, reason: how.text, steps: s.steps.map((step) => step.weight) });
    s.upgradeStage = 'rolled_back';
  }
  if (pause) pauseFor(ctx, 'failed');
  else s.phase = how.outcome === 'aborted' ? 'aborted' : 'rolled-back';
  // Deployments go once no traffic can reach them: now, or when the router confirms the zeros.
  if (!pause && s.weightsConfirmed) ctx.removeDeployments();
  ctx.notify(`rollout ${s.rolloutId} of ${s.upgradeId}: ${how.text}`);
  ctx.record(how.text, how.owner, how.verdict ? { verdict: how.verdict } : {});
}

export function pauseFor(ctx: DecisionContext, reason: PauseReason): void {
  ctx.state.phase = 'paused';
  ctx.state.pauseReason = reason;
}
