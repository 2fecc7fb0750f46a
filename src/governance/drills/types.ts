/** One phase of a rollback drill, with what was sent and who answered. */
export interface DrillPhase {
  name: 'before' | 'canary' | 'after-rollback';
  /** The canary weight the router reported during the phase. */
  weight: number;
  requests: number;
  /** Answers by version, e.g. `{ "1.0.0": 38, "1.1.0": 42 }`; `error` for failed requests. */
  answers: Record<string, number>;
}

/** What a drill found: every step it took, and the rollback time it measured. */
export interface DrillReport {
  /** The versions stable and canary answered when asked directly. */
  stableVersion: string;
  canaryVersion: string;
  canaryWeight: number;
  phases: DrillPhase[];
  /**
   * From sending weight 0 to the router reporting 0% canary and the next request being answered by
   * stable, in milliseconds; undefined when that never happened.
   */
  rollbackMs?: number;
  /** Why the drill failed, in the order found; empty when it passed. */
  failures: string[];
}

export type DrillOutcome = 'pass' | 'fail';

/** A drill as stored (table rollback_drills). */
export interface StoredDrill {
  id: string;
  service: string;
  router: string;
  outcome: DrillOutcome;
  rollbackMs: number | null;
  report: DrillReport;
  summary: string;
  actor: string;
  startedAt: string;
  finishedAt: string;
}
