import type { Ok } from '../../api/client';
import type { FactoryEvent } from '../../api/events';

export type Upgrade = Ok<'/api/v1/upgrades/{id}'>;
export type Risk = NonNullable<Upgrade['risk']>;
export type Notes = Ok<'/api/v1/upgrades/{id}/notes'>;
export type Matrix = Ok<'/api/v1/upgrades/{id}/compat'>;
export type Rollout = Ok<'/api/v1/rollouts/{id}'>;
export type RolloutState = Rollout['state'];
export type VerdictRecord = RolloutState['verdicts'][number];
export type Change = Ok<'/api/v1/changes/{id}'>;
export type LogEntry = Ok<'/api/v1/log'>['entries'][number];
export type ChainCheck = Ok<'/api/v1/log/verify'>;

/** Events that change what the upgrade page shows: anything about this upgrade. */
const relevant: FactoryEvent['type'][] = ['rollout.updated', 'upgrade.transitioned', 'compat.updated', 'change.updated'];

export function aboutUpgrade(id: string, types: FactoryEvent['type'][] = relevant) {
  return (event: FactoryEvent) => types.includes(event.type) && event.upgradeId === id;
}

/** Phases a rollout attempt ends in (the engine's finalPhases). */
export const finalPhases: RolloutState['phase'][] = ['rolled-back', 'done', 'aborted'];
