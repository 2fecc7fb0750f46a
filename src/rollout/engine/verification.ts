import { formatDuration } from '../../core/duration.js';
import type { Verdict } from '../analysis/types.js';
import { DecisionContext, engineActor, later } from './context.js';
import { pauseFor, takeTrafficOff } from './steps.js';
import { beforeAfterCheck, type Observation, type PendingAction, type VerificationState } from './types.js';

/**
 * The verification phase after 100% (the policy: config/sections/rollout-verification.ts). The
 * upgrade is in `verifying` and the rollout in phase `verifying` for the policy's window; every
 * interval a round of checks runs against production (one `run-verification` action per check,
 * pending like an analysis run, so a crash re-runs the same round); when the round that reaches
 * the window's end passes, the upgrade completes (`complete`, with the verification evidence) and
 * the new version is promoted on the deployer. A failed check is a regression: its evidence is
 * recorded and the owner told, and by policy the upgrade stays in verifying (the rollout paused
 * for a human: abort rolls back, resume verifies a new window) or is rolled back at once.
 * Used by `decide` only.
 */

/** The check names of a policy, in the order they run: the before/after baselines first. */
export function verificationChecks(v: VerificationState): string[] {
  return [...(v.policy.baseline ? [beforeAfterCheck] : []), ...v.policy.checks.map((c) => c.analysis)];
}

function label(check: string): string {
  return check === beforeAfterCheck ? 'before/after baselines' : `analysis ${check}`;
}

/** The last step passed: the verification window opens (instead of finishing at 100%). */
export function beginVerification(ctx: DecisionContext, reason: string): void {
  const s = ctx.state;
  const v = s.verification!;
  s.phase = 'verifying';
  s.nextAnalysisAt = undefined;
  s.stepDeadlineAt = undefined;
  openWindow(ctx);
  const what = `${verificationChecks(v).map(label).join(', ')} every ${formatDuration(v.policy.intervalMs)}; a regression ${v.policy.onRegression === 'rollback' ? 'rolls the upgrade back' : 'alerts the owner'}`;
  ctx.notify(`rollout ${s.rolloutId} of ${s.upgradeId} reached 100%; verification runs until ${v.endsAt}`);
  ctx.record(`rollout at 100% (${reason}); the upgrade moves to verification for ${formatDuration(v.policy.windowMs)}, until ${v.endsAt}: ${what}`, engineActor);
}

function openWindow(ctx: DecisionContext): void {
  const v = ctx.state.verification!;
  v.startedAt = ctx.nowIso;
  v.endsAt = later(ctx.now, v.policy.windowMs);
  v.measuredUntil = ctx.nowIso;
  v.nextRunAt = later(ctx.now, Math.min(v.policy.intervalMs, v.policy.windowMs));
  v.outcome = undefined;
}

/** A paused verification goes on with a new window (after a regression, an inconclusive end, a failure). */
export function resumeVerification(ctx: DecisionContext): void {
  const s = ctx.state;
  s.phase = 'verifying';
  s.pending = s.pending.filter((p) => p.kind !== 'run-verification');
  openWindow(ctx);
  ctx.record(`verification starts a new window until ${s.verification!.endsAt}`, engineActor);
}

/** The before-window samples were stored as the rollout started. */
export function onBaselineCaptured(ctx: DecisionContext, o: Extract<Observation, { type: 'baseline-captured' }>): void {
  const s = ctx.state;
  const pending = ctx.takePending(o.actionId);
  if (!pending?.window || !s.verification) return;
  s.verification.capture = { actionId: o.actionId, at: ctx.nowIso, window: pending.window, captured: o.captured, errors: o.errors };
  const missing = o.errors.length > 0 ? `; not measured (their before/after comparison will have no data): ${o.errors.join('; ')}` : '';
  ctx.record(`before-window for verification captured (${pending.window.start} .. ${pending.window.end}): ${o.captured.join(', ') || 'no metric'}${missing}`, engineActor, { observation: o });
}

/** A round is due: one run-verification per check. */
export function verificationOnTime(ctx: DecisionContext): void {
  const s = ctx.state;
  const v = s.verification;
  if (s.phase !== 'verifying' || !v?.nextRunAt || !v.startedAt || !v.endsAt) return;
  if (s.pending.some((p) => p.kind === 'run-verification') || ctx.now.getTime() < Date.parse(v.nextRunAt)) return;
  v.round += 1;
  v.nextRunAt = undefined;
  const final = ctx.now.getTime() >= Date.parse(v.endsAt);
  for (const check of verificationChecks(v)) {
    const windowMs = v.policy.checks.find((c) => c.analysis === check)?.windowMs;
    const start = check === beforeAfterCheck ? Date.parse(v.measuredUntil ?? v.startedAt) : Math.max(Date.parse(v.startedAt), windowMs === undefined ? -Infinity : ctx.now.getTime() - windowMs);
    const window = { start: new Date(start).toISOString(), end: ctx.nowIso };
    const action = ctx.emit({ kind: 'run-verification', check, round: v.round, since: v.startedAt, window, final });
    s.pending.push({ id: action.id, kind: 'run-verification', window, check, round: v.round });
  }
  v.measuredUntil = ctx.nowIso;
}

/** A check's verdict: a failure is a regression at once; a round decides once all its checks answered. */
export function onVerificationVerdict(ctx: DecisionContext, pending: PendingAction, actionId: string, verdict: Verdict): void {
  const s = ctx.state;
  const v = s.verification;
  if (!v || s.phase !== 'verifying' || pending.round !== v.round || !pending.window || !pending.check || !v.endsAt) return;
  v.results.push({ round: v.round, check: pending.check, actionId, at: ctx.nowIso, window: pending.window, verdict });
  if (verdict.outcome === 'fail') return regression(ctx, pending.check, actionId, verdict);
  if (s.pending.some((p) => p.kind === 'run-verification')) return;
  if (Date.parse(pending.window.end) < Date.parse(v.endsAt)) {
    v.nextRunAt = new Date(Math.min(ctx.now.getTime() + v.policy.intervalMs, Date.parse(v.endsAt))).toISOString();
    return;
  }
  const round = v.results.filter((r) => r.round === v.round);
  const open = round.filter((r) => r.verdict.outcome !== 'pass');
  if (open.length === 0) return complete(ctx, round.map((r) => r.actionId));
  const why = open.map((r) => `${label(r.check)}: ${r.verdict.reason}`).join('; ');
  pauseFor(ctx, 'inconclusive');
  ctx.notify(`rollout ${s.rolloutId} of ${s.upgradeId}: verification ended without a clear pass (${why}); the upgrade stays in verifying: resume to verify for a new window, or abort to roll it back`);
  ctx.record(`verification window ended without a clear pass: ${why}; paused, a human decides`, engineActor, { verdict: open[0]!.verdict });
}

function regression(ctx: DecisionContext, check: string, actionId: string, verdict: Verdict): void {
  const s = ctx.state;
  const v = s.verification!;
  v.outcome = 'regressed';
  v.nextRunAt = undefined;
  s.pending = s.pending.filter((p) => p.kind !== 'run-verification');
  ctx.emit({ kind: 'record-evidence', evidence: { kind: 'verification', outcome: 'fail', summary: `${label(check)}: ${verdict.reason}`, ref: actionId, recordedBy: engineActor } });
  const elapsed = formatDuration(Math.max(0, ctx.now.getTime() - Date.parse(v.startedAt!)));
  const text = `verification found a regression ${elapsed} into the window: ${label(check)} failed: ${verdict.reason}`;
  if (v.policy.onRegression === 'rollback') {
    takeTrafficOff(ctx, { outcome: 'rolled-back', failed: true, owner: engineActor, verdict, text: `${text}; traffic off, upgrade rolled back (onRegression rollback)` });
    return;
  }
  pauseFor(ctx, 'regression');
  ctx.notify(`rollout ${s.rolloutId} of ${s.upgradeId}: ${text}; the upgrade stays in verifying: abort to roll it back, or resume to verify a new window`);
  ctx.record(`${text}; the owner is alerted and the upgrade stays in verifying (onRegression alert)`, engineActor, { verdict });
}

function complete(ctx: DecisionContext, refs: string[]): void {
  const s = ctx.state;
  const v = s.verification!;
  v.outcome = 'passed';
  v.nextRunAt = undefined;
  const checks = verificationChecks(v).map(label).join(', ');
  const summary = `verified for ${formatDuration(v.policy.windowMs)} at 100% (${v.startedAt} .. ${ctx.nowIso}, ${v.round} rounds): ${checks} passed`;
  ctx.emit({ kind: 'record-evidence', evidence: { kind: 'verification', outcome: 'pass', summary, ref: refs.join(','), recordedBy: engineActor } });
  ctx.emit({ kind: 'transition-upgrade', event: 'complete', actor: engineActor, reason: summary, steps: s.steps.map((step) => step.weight) });
  s.upgradeStage = 'done';
  s.phase = 'done';
  // Only now does the new version become the stable one: until here a rollback could still send traffic back.
  ctx.emit({ kind: 'promote-deployment' });
  ctx.notify(`rollout ${s.rolloutId} of ${s.upgradeId}: ${summary}; the upgrade is done`);
  ctx.record(`${summary}; the upgrade is done and the new version promoted`, engineActor);
}
