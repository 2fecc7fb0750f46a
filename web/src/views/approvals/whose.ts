import type { Ok, Role } from '../../api/client';

export type Change = Ok<'/api/v1/changes'>['items'][number];
export type Rollout = Ok<'/api/v1/rollouts'>['items'][number];

export interface Me {
  identity: string;
  role: Role;
  teams: string[];
}

/** Whose turn an item is: mine, or someone else's and why (the server's rule, in words). */
export interface Whose {
  mine: boolean;
  why: string;
}

/**
 * The roles that approve changes when factory.yaml does not say otherwise (`changes.approverRoles`).
 * The API does not publish the configured list, so a factory that changed it may sort an item into
 * the wrong group here; the server still decides, and its refusal is shown as it words it.
 */
const defaultApproverRoles: readonly Role[] = ['approver', 'admin'];

/** Mirrors the server's checks on a change approval (src/governance/changes/policy.ts checkApproval), in its order. */
export function whoseChange(change: Change, me: Me): Whose {
  if (me.identity === change.requestedBy) return { mine: false, why: 'you requested this change: the requester never approves it' };
  if (me.identity === change.implementer) return { mine: false, why: 'you implement this change: the implementer never approves it' };
  if (!defaultApproverRoles.includes(me.role)) return { mine: false, why: `approving changes needs the approver role (changes.approverRoles); you hold ${me.role}` };
  const mine = change.approvals.find((a) => a.voidedAt === null && a.by === me.identity);
  if (mine) return { mine: false, why: `you ${mine.decision === 'approve' ? 'approved' : 'rejected'} this scope already; one decision per person` };
  if (change.rule.board) return { mine: true, why: 'needs the change board: the server checks that you sit on it (changes.board.members)' };
  return { mine: true, why: 'you hold an approver role and have not decided yet' };
}

/** The gate a rollout waits at, if it waits at one. */
export function gateOf(rollout: Rollout): { step: number; weight: number; role: Role | undefined } | undefined {
  if (rollout.state.phase !== 'awaiting-approval') return undefined;
  const step = rollout.state.steps[rollout.state.step];
  if (!step) return undefined;
  return { step: rollout.state.step, weight: step.weight, role: step.gate.role };
}

/** Mirrors the rollout engine's checks on a gate approval (src/rollout/engine/decide.ts onApproval). */
export function whoseRollout(rollout: Rollout, me: Me): Whose {
  const gate = gateOf(rollout);
  if (me.identity === rollout.state.initiator) return { mine: false, why: 'you started this rollout: its initiator never approves its gates' };
  if (!gate?.role) return { mine: true, why: 'the gate names no role' };
  if (me.role !== gate.role && me.role !== 'admin') return { mine: false, why: `this gate needs the ${gate.role} role; you hold ${me.role}` };
  return { mine: true, why: `this gate needs ${gate.role}${me.role === 'admin' ? ' (an admin holds every role)' : ''}` };
}

export function waitingChanges(items: readonly Change[]): Change[] {
  return items.filter((c) => c.status === 'awaiting-approval').sort((a, b) => a.plannedStart.localeCompare(b.plannedStart));
}

export function waitingRollouts(items: readonly Rollout[]): Rollout[] {
  return items.filter((r) => gateOf(r) !== undefined).sort((a, b) => (a.state.stepStartedAt ?? a.updatedAt).localeCompare(b.state.stepStartedAt ?? b.updatedAt));
}

/** A person as the log writes them (`user:ana`, `token:…`), shorter for reading. */
export function person(ref: string): string {
  return ref.startsWith('user:') ? ref.slice(5) : ref;
}
