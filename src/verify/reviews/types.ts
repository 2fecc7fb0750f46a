import type { CompatCheckSettings } from '../../config/sections/compat.js';

/**
 * What an action changes in the next cycle of its service:
 *   compat-check  a check the compat matrix of the service's next upgrades runs;
 *   threshold     an analysis threshold to change (recorded and shown, with the factory.yaml edit to make);
 *   checklist     an item shown on the service's next upgrade until it is done.
 */
export const actionKinds = ['compat-check', 'threshold', 'checklist'] as const;
export type ActionKind = (typeof actionKinds)[number];

export const actionStatuses = ['open', 'done'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export type ActionDetail =
  | { kind: 'compat-check'; check: CompatCheckSettings }
  | { kind: 'threshold'; analysis: string; metric: string; from: string | null; to: string }
  | { kind: 'checklist'; item: string };

export interface ReviewAction {
  id: string;
  reviewId: string;
  kind: ActionKind;
  service: string;
  title: string;
  owner: string;
  /** YYYY-MM-DD. */
  due: string;
  detail: ActionDetail;
  status: ActionStatus;
  createdBy: string;
  createdAt: string;
  doneBy: string | null;
  doneAt: string | null;
  doneNote: string | null;
}

export interface Review {
  id: string;
  upgradeId: string;
  wentWell: string;
  wentBadly: string;
  openedBy: string;
  openedAt: string;
  updatedAt: string;
  actions: ReviewAction[];
}

/** A review action as the next upgrade of its service sees it: with where it came from. */
export interface Lesson {
  action: ReviewAction;
  fromUpgrade: string;
  reviewId: string;
  overdue: boolean;
}
