import { UfError } from '../errors.js';
import type { ChangeClass, Evidence, EvidenceKind, TransitionRequest, TransitionResult, Upgrade, UpgradeEvent, UpgradeState } from './types.js';

/**
 * The upgrade state machine. Pure: no clock, no I/O. Each event is a gate that opens only on
 * evidence recorded in the current stage (and, during rollout, at the current weight), so a
 * stale verdict from an earlier step can never promote a later one.
 */
export interface GatePolicy {
  rollbackDrillMaxAgeDays: number;
}

/**
 * The canary weights of the default rollout policy (`rollout:` in factory.yaml starts from these):
 * the first is the canary step, the last 100. Emergency changes take fewer, larger steps.
 */
export const defaultRolloutWeights: Record<ChangeClass, readonly number[]> = {
  standard: [5, 25, 50, 100],
  normal: [5, 25, 50, 100],
  emergency: [5, 50, 100],
};

const transitions: Record<UpgradeEvent, { from: readonly UpgradeState[]; to: UpgradeState | 'next_step' }> = {
  triage: { from: ['intake'], to: 'triaged' },
  start_compat: { from: ['triaged'], to: 'compat' },
  start_canary: { from: ['compat'], to: 'canary' },
  promote: { from: ['canary', 'progressive'], to: 'next_step' },
  start_verification: { from: ['progressive'], to: 'verifying' },
  complete: { from: ['verifying'], to: 'done' },
  rollback: { from: ['canary', 'progressive', 'verifying'], to: 'rolled_back' },
  retry: { from: ['rolled_back'], to: 'compat' },
  reject: { from: ['intake', 'triaged', 'compat'], to: 'rejected' },
  supersede: { from: ['intake', 'triaged', 'compat', 'canary', 'progressive', 'verifying'], to: 'superseded' },
};

export function isTerminal(state: UpgradeState): boolean {
  return state === 'done' || state === 'rejected' || state === 'superseded' || state === 'rolled_back';
}

/** Events that are legal from a state, whether or not their gate would open now. */
export function eventsFrom(state: UpgradeState): UpgradeEvent[] {
  return (Object.keys(transitions) as UpgradeEvent[]).filter((event) => transitions[event].from.includes(state));
}

export function transition(upgrade: Upgrade, request: TransitionRequest, policy: GatePolicy): TransitionResult {
  const rule = transitions[request.event];
  if (!rule.from.includes(upgrade.state)) {
    throw new UfError(
      'illegal_transition',
      `cannot ${request.event} upgrade ${upgrade.id}: it is ${upgrade.state}; ${request.event} is allowed from ${rule.from.join(', ')}`,
      { record: upgrade.id },
    );
  }
  const gate = checkGate(upgrade, request, policy);
  const next = { ...upgrade, evidence: upgrade.evidence, version: upgrade.version + 1, updatedAt: request.at };
  if (rule.to === 'next_step') {
    next.state = 'progressive';
    next.weight = nextWeight(upgrade, rolloutWeights(upgrade, request));
  } else {
    next.state = rule.to;
    if (rule.to === 'canary') next.weight = rolloutWeights(upgrade, request)[0]!;
    if (rule.to === 'rolled_back') next.weight = 0;
  }
  if (upgrade.changeClass === 'emergency' && isTerminal(next.state) && upgrade.state !== 'intake') next.postReviewRequired = true;
  return {
    upgrade: next,
    log: {
      action: `upgrade.${request.event}`,
      subject: upgrade.id,
      reason: `${request.reason} (${upgrade.state}${upgrade.weight ? ` ${upgrade.weight}%` : ''} -> ${next.state}${next.weight ? ` ${next.weight}%` : ''})`,
      evidenceRef: gate.evidence.map((e) => e.id).join(',') || null,
    },
  };
}

/**
 * The weights this transition follows: the request's (resolved from the rollout policy for the
 * service being rolled out), else the default policy's for the change class. Checked here too, so
 * that no caller can move traffic down or past 100% by passing odd steps.
 */
function rolloutWeights(upgrade: Upgrade, request: TransitionRequest): readonly number[] {
  const steps = request.steps ?? defaultRolloutWeights[upgrade.changeClass];
  const valid = steps.length > 0 && steps.every((w, i) => Number.isFinite(w) && w > 0 && w <= 100 && (i === 0 || w > steps[i - 1]!)) && steps.at(-1) === 100;
  if (!valid) {
    throw new UfError('gate_refused', `gate ${request.event} refused for upgrade ${upgrade.id}: rollout steps [${steps.join(', ')}] must rise strictly within 1..100 and end at 100`, {
      record: upgrade.id,
    });
  }
  return steps;
}

function nextWeight(upgrade: Upgrade, steps: readonly number[]): number {
  const next = steps.find((step) => step > upgrade.weight);
  if (next === undefined) {
    throw new UfError('illegal_transition', `upgrade ${upgrade.id} is at ${upgrade.weight}%: nothing to promote to; start verification`, {
      record: upgrade.id,
    });
  }
  return next;
}

function checkGate(upgrade: Upgrade, request: TransitionRequest, policy: GatePolicy): { evidence: Evidence[] } {
  if (request.reason.trim() === '') throw refuse(upgrade, request.event, 'a reason is required');
  switch (request.event) {
    case 'triage':
      return { evidence: [requireEvidence(upgrade, request.event, 'risk_score', { stage: true })] };
    case 'start_compat':
      // Release notes must be parsed and acknowledged by the owner before compatibility testing.
      return { evidence: [requireEvidence(upgrade, request.event, 'release_notes_ack', { stage: false })] };
    case 'start_canary':
      return {
        evidence: [
          requireEvidence(upgrade, request.event, 'compat_matrix', { stage: true }),
          requireRecentDrill(upgrade, request, policy),
          // The change record's approvals (governance): the latest word counts, so voided approvals close the gate again.
          requireEvidence(upgrade, request.event, 'change_authorized', { stage: false }),
        ],
      };
    case 'promote':
    case 'start_verification': {
      if (request.event === 'start_verification' && upgrade.weight !== 100) {
        throw refuse(upgrade, request.event, `traffic is at ${upgrade.weight}%, not 100%`);
      }
      const analysis = requireEvidence(upgrade, request.event, 'analysis', { stage: true, weight: true });
      if (request.event === 'start_verification' || upgrade.changeClass === 'standard') return { evidence: [analysis] };
      return { evidence: [analysis, requireApproval(upgrade, request.event)] };
    }
    case 'complete':
      return { evidence: [requireEvidence(upgrade, request.event, 'verification', { stage: true })] };
    case 'rollback': {
      // Rolling back is always allowed with a reason; a failed verdict is cited when there is one.
      const failed = latest(upgrade, (e) => (e.kind === 'analysis' || e.kind === 'verification') && e.outcome === 'fail' && e.stage === upgrade.state);
      return { evidence: failed ? [failed] : [] };
    }
    case 'retry':
      // Back to compatibility: start_canary then asks its compat_matrix and drill evidence again.
      return { evidence: [] };
    case 'reject':
      return { evidence: [] };
    case 'supersede':
      return { evidence: [requireEvidence(upgrade, request.event, 'superseded_by', { stage: false })] };
  }
}

function requireEvidence(upgrade: Upgrade, event: UpgradeEvent, kind: EvidenceKind, fresh: { stage: boolean; weight?: boolean }): Evidence {
  const found = latest(
    upgrade,
    (e) => e.kind === kind && (!fresh.stage || e.stage === upgrade.state) && (!fresh.weight || e.weight === upgrade.weight),
  );
  const where = fresh.weight ? ` in ${upgrade.state} at ${upgrade.weight}%` : fresh.stage ? ` in ${upgrade.state}` : '';
  if (!found) throw refuse(upgrade, event, `no ${kind} evidence recorded${where}`);
  if (found.outcome !== 'pass') throw refuse(upgrade, event, `latest ${kind} evidence${where} is a fail (${found.id}: ${found.summary})`);
  return found;
}

function requireApproval(upgrade: Upgrade, event: UpgradeEvent): Evidence {
  const approval = requireEvidence(upgrade, event, 'approval', { stage: true, weight: true });
  if (approval.recordedBy === upgrade.createdBy) {
    throw refuse(upgrade, event, `approval ${approval.id} is by ${approval.recordedBy}, who started the change; another approver is required`);
  }
  return approval;
}

function requireRecentDrill(upgrade: Upgrade, request: TransitionRequest, policy: GatePolicy): Evidence {
  const drill = requireEvidence(upgrade, request.event, 'rollback_drill', { stage: false });
  const ageDays = (Date.parse(request.at) - Date.parse(drill.recordedAt)) / 86_400_000;
  if (ageDays > policy.rollbackDrillMaxAgeDays) {
    throw refuse(
      upgrade,
      request.event,
      `the latest rollback drill (${drill.id}) is ${Math.floor(ageDays)} days old; policy allows ${policy.rollbackDrillMaxAgeDays}`,
    );
  }
  return drill;
}

function latest(upgrade: Upgrade, predicate: (e: Evidence) => boolean): Evidence | undefined {
  for (let i = upgrade.evidence.length - 1; i >= 0; i--) {
    const evidence = upgrade.evidence[i];
    if (evidence && predicate(evidence)) return evidence;
  }
  return undefined;
}

function refuse(upgrade: Upgrade, event: UpgradeEvent, why: string): UfError {
  return new UfError('gate_refused', `gate ${event} refused for upgrade ${upgrade.id}: ${why}`, { record: upgrade.id });
}

/** Adds evidence to an upgrade, stamped with its current stage and weight. */
export function recordEvidence(
  upgrade: Upgrade,
  evidence: Omit<Evidence, 'stage' | 'weight'>,
): { upgrade: Upgrade; log: TransitionResult['log'] } {
  if (isTerminal(upgrade.state)) {
    throw new UfError('illegal_transition', `upgrade ${upgrade.id} is ${upgrade.state}; no more evidence can be recorded`, { record: upgrade.id });
  }
  if (evidence.kind === 'approval' && evidence.recordedBy === upgrade.createdBy) {
    throw new UfError('gate_refused', `${evidence.recordedBy} started upgrade ${upgrade.id} and cannot approve it`, { record: upgrade.id });
  }
  const stamped: Evidence = { ...evidence, stage: upgrade.state, weight: upgrade.weight };
  return {
    upgrade: { ...upgrade, evidence: [...upgrade.evidence, stamped], version: upgrade.version + 1, updatedAt: evidence.recordedAt },
    log: {
      action: `evidence.${evidence.kind}`,
      subject: upgrade.id,
      reason: `${evidence.outcome}: ${evidence.summary}`,
      evidenceRef: evidence.id,
    },
  };
}
