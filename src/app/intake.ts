import type { LoadedConfig } from '../config/load.js';
import { systemClock, type Clock } from '../core/clock.js';
import { runIntake as runIntakePipeline, type IntakeOptions, type IntakeSummary } from '../intake/pipeline/run.js';
import type { IntakeSources } from '../intake/pipeline/read-sources.js';
import { intakeActor } from '../intake/pipeline/plan.js';
import type { Store } from '../store/open.js';
import { advisorySources } from './adapters.js';
import type { EventPublisher } from './events.js';
import type { RootParts } from './root.js';

export { defaultIntakeLeaseWaitMs, type IntakeSummary } from '../intake/pipeline/run.js';

export interface RunIntakeOptions extends Omit<IntakeOptions, 'sources' | 'clock'> {
  /** The root's advisory sources; the standard ones when absent. */
  sources?: IntakeSources;
  /** Where `intake.completed` goes once the run has written its record; nowhere when absent. */
  events?: EventPublisher;
  /** The run's clock (its instant, its lease, the event's stamp); the system clock when absent. */
  clock?: Clock;
}

/** What intake takes from the root: its advisory sources, its event bus and its clock. */
export function intakeParts(root: Pick<RootParts, 'adapters' | 'events' | 'clock'>): Pick<RunIntakeOptions, 'sources' | 'events' | 'clock'> {
  return { sources: root.adapters.advisorySources, events: root.events, clock: root.clock };
}

/**
 * Intake, as every front end runs it (`uf intake run`, `POST /api/v1/intake/run`, the demo and the
 * schedule inside `uf serve`): the pipeline with the root's sources. Once the run has returned (its
 * transactions committed), the upgrades it superseded or closed and the run itself are announced.
 */
export async function runIntake(store: Store, loaded: LoadedConfig, options: RunIntakeOptions = {}): Promise<IntakeSummary> {
  const { sources, events, clock, ...rest } = options;
  const time = clock ?? systemClock;
  const summary = await runIntakePipeline(store, loaded, { ...rest, clock: time, sources: sources ?? advisorySources });
  const u = summary.upgrades;
  const at = time.now().toISOString();
  // Intake's own transitions, made by the intake actor whoever started the run.
  for (const upgradeId of u.superseded) events?.publish({ type: 'upgrade.transitioned', upgradeId, to: 'superseded', actor: intakeActor, reason: 'superseded by a new plan for its component', at });
  for (const upgradeId of u.closed) events?.publish({ type: 'upgrade.transitioned', upgradeId, to: 'rejected', actor: intakeActor, reason: 'no open finding remains for this component', at });
  events?.publish({
    type: 'intake.completed',
    status: summary.status,
    degraded: summary.degraded,
    upgrades: { created: u.created, rescored: u.rescored, superseded: u.superseded, closed: u.closed },
    findingsOpen: summary.findings.open,
    actor: options.actor ?? intakeActor,
    at,
  });
  return summary;
}
