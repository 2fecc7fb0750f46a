import type { Tier } from '../../core/service-map.js';

/** What a window selects a service by: its catalog name, its tier and its tags. */
export interface ServiceFacts {
  name: string;
  tier?: Tier;
  tags: readonly string[];
}

/** A window or blackout in force at an instant, and until when that occurrence lasts. */
export interface WindowHit {
  kind: 'allow' | 'deny' | 'blackout';
  name: string;
  from: string;
  until: string;
  reason?: string;
}

/** Whether a service may change at an instant, and why. */
export interface WindowVerdict {
  service: string;
  at: string;
  open: boolean;
  /** One sentence: which window opens or closes it, until when, and when it opens next. */
  reason: string;
  /** The windows in force at `at` that select the service. */
  hits: WindowHit[];
  /** When closed: when it opens next (null when not within a year). */
  nextOpenAt?: string | null;
  /** When open: when it closes next (null when not within a year). */
  closesAt?: string | null;
}

/** One change in time on some services, from a change record or a running rollout. */
export interface ScheduledChange {
  /** `change:<id>` or `rollout:<id>`. */
  ref: string;
  upgradeId: string;
  services: string[];
  start: string;
  end: string;
  source: 'change' | 'rollout';
}

export type ConflictKind = 'same-service' | 'dependency' | 'outside-window' | 'inside-blackout';

export interface Conflict {
  kind: ConflictKind;
  /** The change (and, for two-change conflicts, the other one). */
  changes: string[];
  services: string[];
  /** The overlap in time, or the part of the change the window rule breaks. */
  from: string;
  to: string;
  window?: string;
  text: string;
}
