import type { ChangeClass } from '../../core/upgrade/index.js';

export const changeStatuses = ['awaiting-approval', 'authorized', 'rejected', 'canceled'] as const;
export type ChangeStatus = (typeof changeStatuses)[number];

/** The fields a change manager reads, as ServiceNow's change form has them. */
export interface ChangeFields {
  justification: string;
  implementationPlan: string;
  backoutPlan: string;
  /** The estimate, as a duration (`15m`), and where it came from (template, drill, default). */
  backoutTime: string;
  backoutTimeSource: string;
  testPlan: string;
  /** From the risk stage; null when the upgrade was never scored. */
  risk: { score: number; decision: string; summary: string } | null;
  /** The services the upgrade changes. */
  services: string[];
  /** Those and everything that depends on them (the blast radius from the service map). */
  affectedServices: string[];
  targetVersion: string;
}

/** What an approval approves: editing any of these voids the approvals given before. */
export const scopeFields = ['services', 'affectedServices', 'targetVersion', 'implementationPlan', 'backoutPlan', 'plannedStart', 'plannedEnd'] as const;

export interface ChangeRecord {
  id: string;
  upgradeId: string;
  changeClass: ChangeClass;
  status: ChangeStatus;
  fields: ChangeFields;
  plannedStart: string;
  plannedEnd: string;
  requestedBy: string;
  implementer: string;
  templateId: string | null;
  scopeDigest: string;
  reviewDueAt: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  reviewNotes: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ChangeApproval {
  id: string;
  changeId: string;
  by: string;
  role: string;
  decision: 'approve' | 'reject';
  reason: string | null;
  scopeDigest: string;
  at: string;
  voidedAt: string | null;
  voidReason: string | null;
}

/** What a change needs before its canary: how many approvals, whether only the board counts. */
export interface ApprovalRule {
  count: number;
  board: boolean;
  why: string;
}

/** What happened to a change record, as the bus (and so webhooks and the event stream) tells it. */
export const changeActions = ['opened', 'approved', 'rejected', 'authorized', 'voided', 'reviewed'] as const;
export type ChangeAction = (typeof changeActions)[number];

/** Announced after the transaction that did it committed. */
export interface ChangeEvent {
  action: ChangeAction;
  changeId: string;
  upgradeId: string;
  /** The change's status after it. */
  status: ChangeStatus;
  actor: string;
  reason: string;
  at: string;
}
