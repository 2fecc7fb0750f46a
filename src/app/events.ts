/**
 * The post-commit event bus. A use case publishes an event only after the store call that produced
 * it has returned, so a subscriber never hears of a change that was rolled back. The rollout engine
 * and the dashboard will stream these events over SSE.
 */
import type { UpgradeState } from '../core/upgrade/index.js';
import type { ChangeEvent } from '../governance/changes/types.js';

/** An upgrade moved to another state; published once the transition committed. */
export interface UpgradeTransitioned {
  type: 'upgrade.transitioned';
  upgradeId: string;
  to: UpgradeState;
  actor: string;
  reason: string;
  at: string;
}

/** What one import file changed; published once its transaction committed. */
export interface ImportCompleted {
  type: 'import.completed';
  kind: 'catalog' | 'inventory';
  file: string;
  /** Inventory imports only: the service and environment the file describes. */
  service?: string;
  environment?: string;
  actor: string;
  at: string;
}

/** An intake run finished and wrote its run record (unchanged runs too, which write nothing). */
export interface IntakeCompleted {
  type: 'intake.completed';
  status: 'unchanged' | 'completed';
  degraded: boolean;
  /** Upgrade ids by what the run did to them. */
  upgrades: { created: string[]; rescored: string[]; superseded: string[]; closed: string[] };
  findingsOpen: number;
  actor: string;
  at: string;
}

/** The rollout engine stored a decision: the rollout's step, phase and weights after it, and what was decided. */
export interface RolloutUpdated {
  type: 'rollout.updated';
  rolloutId: string;
  upgradeId: string;
  service: string;
  attempt: number;
  phase: string;
  pauseReason?: string;
  /** Index of the current step and its weight. */
  step: number;
  weight: number;
  weights: { canary: number; baseline: number };
  decisions: { owner: string; text: string }[];
  at: string;
}

/** The rollout engine told a service's owner something (a rollback, a gate waiting, a pause). */
export interface RolloutNotification {
  type: 'rollout.notification';
  service: string;
  /** The service's owner in the service map (a group or user ref); null when the catalog names none. */
  owner: string | null;
  text: string;
  at: string;
}

/** A compatibility matrix changed: a run was queued, a cell was stored or waived. */
export interface CompatUpdated {
  type: 'compat.updated';
  upgradeId: string;
  runId: string;
  at: string;
}

/** A change record was opened, approved, rejected, authorized, had its approvals voided, or was reviewed. */
export interface ChangeUpdated extends ChangeEvent {
  type: 'change.updated';
}

export type AppEvent = ChangeUpdated | CompatUpdated | UpgradeTransitioned | ImportCompleted | IntakeCompleted | RolloutUpdated | RolloutNotification;
export type AppEventType = AppEvent['type'];

export type Subscriber = (event: AppEvent) => void | Promise<void>;

export interface EventPublisher {
  publish(event: AppEvent): void;
}

export interface EventBus extends EventPublisher {
  /** Events in publish order from now on; returns the unsubscribe. */
  subscribe(subscriber: Subscriber): () => void;
}

/**
 * Delivery is synchronous and in order: every subscriber sees every event in the order published,
 * and an event published by a subscriber is delivered after the one being delivered. A subscriber
 * that throws (or whose promise rejects) is reported to `onError` and skipped for that event; the
 * publisher and the other subscribers carry on.
 */
export function createEventBus(onError: (error: unknown, event: AppEvent) => void): EventBus {
  const subscribers = new Set<Subscriber>();
  const queue: AppEvent[] = [];
  let delivering = false;
  const deliver = (subscriber: Subscriber, event: AppEvent): void => {
    try {
      const result = subscriber(event);
      if (result instanceof Promise) result.catch((error: unknown) => onError(error, event));
    } catch (error) {
      onError(error, event);
    }
  };
  return {
    publish(event) {
      queue.push(event);
      if (delivering) return;
      delivering = true;
      try {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          // A copy: a subscriber that unsubscribes (or subscribes) during delivery changes the next event's list.
          for (const subscriber of [...subscribers]) deliver(subscriber, next);
        }
      } finally {
        delivering = false;
      }
    },
    subscribe(subscriber) {
      // Wrapped so the same function subscribed twice gets two independent subscriptions.
      const entry: Subscriber = (event) => subscriber(event);
      subscribers.add(entry);
      return () => {
        subscribers.delete(entry);
      };
    },
  };
}
