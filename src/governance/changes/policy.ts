import { createHash } from 'node:crypto';
import type { ChangesPolicy, ChangeTemplate } from '../../config/sections/changes.js';
import { UfError } from '../../core/errors.js';
import type { Role } from '../../core/roles.js';
import type { Upgrade } from '../../core/upgrade/index.js';
import { teamRef } from '../identities/teams.js';
import type { ApprovalRule, ChangeApproval, ChangeFields, ChangeRecord } from './types.js';

/** The digest of what approvers approve: the scope fields, in a fixed order. */
export function scopeDigest(fields: ChangeFields, planned: { plannedStart: string; plannedEnd: string }): string {
  const scope = [fields.services, fields.affectedServices, fields.targetVersion, fields.implementationPlan, fields.backoutPlan, planned.plannedStart, planned.plannedEnd];
  return createHash('sha256').update(JSON.stringify(scope)).digest('hex');
}

/** The first template that pre-approves this upgrade as a standard change, if any. */
export function matchTemplate(templates: readonly ChangeTemplate[], upgrade: Pick<Upgrade, 'ecosystem' | 'name' | 'services'>, riskScore: number | undefined): ChangeTemplate | undefined {
  if (riskScore === undefined) return undefined;
  return templates.find(
    (t) =>
      riskScore <= t.match.maxRiskScore &&
      (!t.match.ecosystems || t.match.ecosystems.includes(upgrade.ecosystem)) &&
      (!t.match.packages || t.match.packages.includes(upgrade.name)) &&
      (!t.match.services || upgrade.services.every((s) => t.match.services!.includes(s))),
  );
}

/** How many approvals a change needs, and from whom, with the reason in words. */
export function approvalRule(policy: ChangesPolicy, change: Pick<ChangeRecord, 'changeClass' | 'templateId'> & { fields: Pick<ChangeFields, 'risk'> }): ApprovalRule {
  if (change.changeClass === 'standard' && change.templateId) return { count: 0, board: false, why: `standard change pre-approved by template ${change.templateId}` };
  if (change.changeClass === 'emergency') {
    return { count: policy.emergency.approvals, board: false, why: `emergency change: ${policy.emergency.approvals} approval(s), no change board, a post-hoc review within ${policy.emergency.reviewWithin}` };
  }
  const score = change.fields.risk?.score;
  const standardWithout = change.changeClass === 'standard' ? 'a standard change no template matches is handled as normal; ' : '';
  if (score === undefined) return { count: policy.board.quorum, board: true, why: `${standardWithout}risk unknown (never scored): the change board's quorum of ${policy.board.quorum}` };
  if (score >= policy.highRiskScore) return { count: policy.board.quorum, board: true, why: `${standardWithout}risk ${score} ≥ ${policy.highRiskScore}: the change board's quorum of ${policy.board.quorum}` };
  return { count: policy.normalApprovals, board: false, why: `${standardWithout}risk ${score} < ${policy.highRiskScore}: ${policy.normalApprovals} approval(s)` };
}

/** Whether `person` sits on the board: named, or in a team the board names. Empty board: every approver. */
export function onBoard(policy: ChangesPolicy, person: string, teams: readonly string[]): boolean {
  if (policy.board.members.length === 0) return true;
  const name = person.startsWith('user:') ? person.slice(5) : undefined;
  const mine = new Set(teams.map(teamRef));
  return policy.board.members.some((m) => (m.startsWith('team:') ? mine.has(teamRef(m.slice(5))) : m.includes(':') ? mine.has(teamRef(m)) : m === name));
}

/**
 * Segregation of duties and the approval rules, checked before an approval or rejection is
 * stored: never the requester or the implementer, a role that approves changes, the board when
 * the rule needs it, once per person per scope, and only for the scope the approver saw.
 */
export function checkApproval(
  policy: ChangesPolicy,
  change: ChangeRecord,
  approvals: readonly ChangeApproval[],
  input: { by: string; roles: readonly Role[]; teams: readonly string[]; scopeDigest?: string },
): Role {
  const refuse = (why: string, code: 'forbidden' | 'conflict' = 'forbidden') => new UfError(code, `change ${change.id}: ${why}`, { record: change.id });
  if (input.by === change.requestedBy) throw refuse(`${input.by} requested this change and cannot approve or reject it`);
  if (input.by === change.implementer) throw refuse(`${input.by} implements this change and cannot approve or reject it`);
  const role = policy.approverRoles.find((r) => input.roles.includes(r));
  if (!role) throw refuse(`${input.by} holds ${input.roles.join(', ') || 'no role'}; approving changes needs one of ${policy.approverRoles.join(', ')}`);
  if (change.status !== 'awaiting-approval') throw refuse(`it is ${change.status}, not awaiting approval`, 'conflict');
  if (input.scopeDigest !== undefined && input.scopeDigest !== change.scopeDigest) throw refuse(`its scope changed since the approver looked (digest ${input.scopeDigest.slice(0, 12)}…, now ${change.scopeDigest.slice(0, 12)}…): read it again`, 'conflict');
  const rule = approvalRule(policy, change);
  if (rule.board && !onBoard(policy, input.by, input.teams)) throw refuse(`${rule.why}, and ${input.by} is not on the change board (changes.board.members)`);
  if (live(approvals).some((a) => a.by === input.by)) throw refuse(`${input.by} has already decided on this scope; one decision per person`, 'conflict');
  return role;
}

/** Approvals that still count: not voided by a scope edit. */
export function live(approvals: readonly ChangeApproval[]): ChangeApproval[] {
  return approvals.filter((a) => a.voidedAt === null);
}

/** Whether the approvals given so far satisfy the rule. */
export function satisfied(rule: ApprovalRule, approvals: readonly ChangeApproval[]): boolean {
  return live(approvals).filter((a) => a.decision === 'approve').length >= rule.count;
}
