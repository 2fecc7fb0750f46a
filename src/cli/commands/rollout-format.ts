import type { RolloutView } from '../../app/rollouts.js';
import { systemClock } from '../../core/clock.js';
import { formatDuration } from '../../core/duration.js';
import type { MetricEvidence } from '../../rollout/analysis/types.js';
import { beforeAfterCheck, type RolloutState } from '../../rollout/engine/index.js';
import { formatTable } from '../output.js';

/**
 * How `uf rollout status` shows a rollout: where it is (step, phase, weights), what it waits for,
 * each metric of the latest verdict against its threshold per variant, and its last decisions.
 */
export function formatRollout(view: RolloutView, options: { decisions?: number; now?: Date } = {}): string {
  const s = view.state;
  const step = s.steps[s.step];
  const lines = [
    `rollout ${view.id}  upgrade ${view.upgradeId}  service ${view.service}  attempt ${s.attempt}`,
    `  phase     ${s.phase}${s.pauseReason ? ` (${s.pauseReason})` : ''}${waitingFor(view)}`,
    `  step      ${s.step + 1} of ${s.steps.length}: ${s.steps.map((x, i) => (i === s.step ? `[${x.weight}%]` : `${x.weight}%`)).join(' -> ')}`,
    `  weights   canary ${s.weights.canary}%${s.baseline ? `, baseline ${s.weights.baseline}%` : ''}, stable ${100 - s.weights.canary - s.weights.baseline}%${s.weightsConfirmed ? '' : ' (not yet confirmed by the router)'}`,
    `  initiator ${s.initiator}`,
  ];
  if (step) lines.push(`  gate      ${step.gate.kind === 'approval' ? `approval by a holder of role ${step.gate.role} other than ${s.initiator}` : 'auto'}; on failure ${step.onFailure}; analysis ${step.analysis.name}`);
  for (const d of s.deployed.filter((x) => x.attempt === s.attempt)) lines.push(`  deployed  ${d.variant} ${d.digest}${d.removed ? ' (removed)' : ''}`);
  lines.push(...formatVerification(s, options.now ?? systemClock.now()));
  const latest = s.verdicts.at(-1);
  if (latest) {
    lines.push('', `latest verdict: ${latest.verdict.outcome.toUpperCase()} by ${latest.verdict.judge}${latest.verdict.score === undefined ? '' : ` (score ${latest.verdict.score})`} at ${latest.weight}%, ${latest.window.start} .. ${latest.window.end}`, `  ${latest.verdict.reason}`);
    if (latest.verdict.evidence.length > 0) lines.push(indent(formatEvidence(latest.verdict.evidence)));
  }
  const approvals = s.approvals.filter((a) => a.attempt === s.attempt);
  if (approvals.length > 0) lines.push('', 'approvals:', ...approvals.map((a) => `  step ${a.step + 1}: ${a.decision} by ${a.by} (${a.role}) at ${a.at}`));
  const decisions = view.decisions ?? [];
  const shown = options.decisions === undefined ? decisions : decisions.slice(-options.decisions);
  if (shown.length > 0) lines.push('', 'decisions:', ...shown.map((e) => `  ${e.at}  ${e.actor.padEnd(22)} ${e.reason}`));
  return lines.join('\n');
}

/**
 * The verification after 100%: its window and the time left, its checks, and each check's latest
 * verdict in the window; before 100%, what it will run.
 */
export function formatVerification(s: RolloutState, now: Date): string[] {
  const v = s.verification;
  if (!v) return [];
  const checks = [...(v.policy.baseline ? [`before/after (${v.policy.baseline.metrics.map((m) => m.name).join(', ')})`] : []), ...v.policy.checks.map((c) => c.analysis)].join(', ');
  const policy = `${formatDuration(v.policy.windowMs)} every ${formatDuration(v.policy.intervalMs)}, on regression ${v.policy.onRegression}; checks ${checks}`;
  if (!v.startedAt || !v.endsAt) {
    const capture = v.capture ? `; before-window captured: ${v.capture.captured.join(', ') || 'none'}${v.capture.errors.length > 0 ? ` (missing: ${v.capture.errors.join('; ')})` : ''}` : '';
    return [`  verify    after 100%: ${policy}${capture}`];
  }
  const left = Date.parse(v.endsAt) - now.getTime();
  const state =
    v.outcome === 'passed'
      ? 'passed'
      : v.outcome === 'regressed'
        ? 'regression found'
        : s.phase === 'verifying'
          ? left > 0
            ? `${formatDuration(Math.ceil(left / 1000) * 1000)} left (until ${v.endsAt})`
            : `window over, last round running`
          : `${s.phase}${s.pauseReason ? ` (${s.pauseReason})` : ''}`;
  const lines = [`  verify    ${state}; started ${v.startedAt}, round ${v.round}; ${policy}`];
  const latest = new Map<string, (typeof v.results)[number]>();
  for (const r of v.results) if (r.at >= v.startedAt) latest.set(r.check, r);
  for (const [check, r] of latest) lines.push(`    ${check === beforeAfterCheck ? 'before/after' : check}: ${r.verdict.outcome} (round ${r.round}): ${r.verdict.reason}`);
  return lines;
}

/** Each metric against its threshold, per variant. */
export function formatEvidence(evidence: readonly MetricEvidence[]): string {
  const value = (m: MetricEvidence, variant: 'canary' | 'baseline' | 'stable') => {
    const v = m.values[variant];
    if (!v) return '-';
    return `${v.value === undefined ? 'no value' : round(v.value)} (n=${v.count})`;
  };
  return formatTable(
    ['METRIC', 'OUTCOME', 'CANARY', 'REFERENCE', 'THRESHOLD'],
    evidence.map((m) => [`${m.metric}${m.critical ? ' (critical)' : ''}`, m.outcome, value(m, 'canary'), m.values.baseline ? `baseline ${value(m, 'baseline')}` : `stable ${value(m, 'stable')}`, m.threshold]),
  );
}

function waitingFor(view: RolloutView): string {
  const s = view.state;
  if (s.phase === 'awaiting-window' && s.windowWait) return `: step ${s.windowWait.step + 1} waits for an allowed change window, next at ${s.windowWait.nextOpenAt ?? 'none within a year'} (${s.windowWait.reason}; uf rollout override-window ${view.id} --reason TEXT)`;
  if (s.phase === 'paused' && s.pauseReason === 'regression') return `: verification found a regression and the upgrade stays in verifying (uf rollout abort ${view.id} rolls it back; uf rollout resume ${view.id} verifies a new window)`;
  if (s.phase !== 'awaiting-approval') return '';
  const role = s.steps[s.step]?.gate.role;
  return `: waits for an approval by a holder of role ${role} other than ${s.initiator} (uf rollout approve ${view.id})`;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(4);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
