import type { Verdict } from '../analysis/types.js';
import { DecisionContext, engineActor, keptAcrossSteps, later } from './context.js';
import { beginVerification } from './verification.js';
import type { FailureAction } from '../../config/sections/rollout.js';
import type { Observation, PauseReason } from './types.js';

/**
 * How a rollout moves through its steps: entering one, passing its gate, advancing, failing.
 * Used by `decide` only; each function changes the context's state and emits the actions.
 */

/** Roles that may let a promotion through a closed change window. */
export const windowOverrideRoles = ['approver', 'admin'] as const;

/**
 * Weights for a step, after the upgrade transition that allows them (start_canary, promote).
 * While the change window is closed (and no override covers this step) the promotion waits in
 * `awaiting-window` instead; `onTime` enters the step once the window opens.
 */
export function enterStep(ctx: DecisionContext, index: number, reason: string): void {
  const s = ctx.state;
  if (!windowAllows(ctx, index, reason)) return;
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

function windowAllows(ctx: DecisionContext, index: number, cause: string): boolean {
  const s = ctx.state;
  const override = s.windowOverrides?.find((o) => o.attempt === s.attempt && o.step === index);
  if (!ctx.window || ctx.window.open || override) {
    s.windowWait = undefined;
    return true;
  }
  const weight = s.steps[index]?.weight ?? 0;
  const already = s.windowWait?.step === index;
  s.windowWait = { step: index, since: already ? s.windowWait!.since : ctx.nowIso, cause, reason: ctx.window.reason, nextOpenAt: ctx.window.nextOpenAt ?? null };
  s.phase = 'awaiting-window';
  s.pauseReason = undefined;
  // The canary keeps its current traffic meanwhile, and its analysis goes on (a breach still rolls back).
  if (s.stepStartedAt && !s.pending.some((p) => p.kind === 'run-analysis') && !s.nextAnalysisAt) s.nextAnalysisAt = later(ctx.now, ctx.currentStep.analysis.intervalMs);
  if (already) return false;
  const text = `${index === 0 ? 'starting the canary' : `step ${index + 1}`} at ${weight}% waits for an allowed change window (${cause}): ${ctx.window.reason}`;
  ctx.notify(`rollout ${s.rolloutId} of ${s.upgradeId}: ${text}`);
  ctx.record(text, engineActor);
  return false;
}

/**
 * A person lets the promotion a closed window holds back go ahead: only while one waits, only an
 * approver or admin who did not start the rollout, and only with a reason. It covers that one step.
 */
export function windowOverride(ctx: DecisionContext, o: Extract<Observation, { type: 'window-override' }>): void {
  const s = ctx.state;
  const refuse = (why: string, refusedAs: 'forbidden' | 'conflict' = 'conflict') => ctx.record(`window override by ${o.by} refused: ${why}`, o.by, { observation: o, refusal: why, refusedAs });
  if (o.by === s.initiator) return refuse(`${o.by} started this rollout and cannot override its change window`, 'forbidden');
  const role = windowOverrideRoles.find((r) => o.roles.includes(r));
  if (!role) return refuse(`${o.by} holds none of the roles that override a change window (${windowOverrideRoles.join(', ')})`, 'forbidden');
  if (o.reason.trim() === '') return refuse('an override of a change window needs a reason');
  const wait = s.windowWait;
  if (s.phase !== 'awaiting-window' || !wait) return refuse(`rollout ${s.rolloutId} is ${s.phase}, not waiting for a change window`);
  s.windowOverrides = [...(s.windowOverrides ?? []), { attempt: s.attempt, step: wait.step, by: o.by, role, reason: o.reason, at: ctx.nowIso }];
  const weight = s.steps[wait.step]?.weight ?? 0;
  ctx.emit({ kind: 'record-evidence', evidence: { kind: 'approval', outcome: 'pass', summary: `${role} ${o.by} overrode the closed change window for ${weight}%: ${o.reason}`, ref: s.rolloutId, recordedBy: o.by } });
  ctx.record(`${o.by} (${role}) overrode the closed change window for step ${wait.step + 1} at ${weight}% (${wait.reason}): ${o.reason}`, o.by, { observation: o });
  enterStep(ctx, wait.step, `${wait.cause}; change window overridden by ${o.by} (${role})`);
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
  if (s.verification) {
    s.pending = s.pending.filter(keptAcrossSteps);
    ctx.removeDeployments(['baseline']);
    return beginVerification(ctx, reason);
  }
  // A rollout stored before verification existed ends at 100%; the upgrade waits in verifying for a person.
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
  s.pending = s.pending.filter(keptAcrossSteps);
  s.nextAnalysisAt = undefined;
  if (s.verification) s.verification.nextRunAt = undefined;
  // Taking traffic off is never held back by a window, and ends any wait for one.
  s.windowWait = undefined;
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
