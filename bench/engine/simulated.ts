/**
 * The simulated estate of the engine bench (bench/engine.ts): a router per service that keeps its
 * weights in memory and reads them back, a deployer whose every operation succeeds at once with a
 * digest, and an analysis runner that passes with enough samples, except on the step a rollout was
 * planned to fail at. Everything answers without I/O, so the bench measures the engine and its
 * store, not a network. The same answers feed the store-less reference run (`observationFor`).
 */
import { createHash } from 'node:crypto';
import type { Verdict } from '../../src/rollout/analysis/types.js';
import type { DeployOperation, DeployResult, DeployTarget, Deployer } from '../../src/rollout/deployers/types.js';
import type { Action, Observation, RolloutState } from '../../src/rollout/engine/index.js';
import type { AnalysisRunner } from '../../src/rollout/reconciler/index.js';
import type { TrafficRouter, TrafficWeights, WeightState } from '../../src/traffic/types.js';
import { assertTrafficWeights } from '../../src/traffic/validate.js';

/** Requests per variant in every simulated analysis window: above any step's minSamples. */
export const samplesPerWindow = 500;

/** A router for one service: weights in memory, validated as every router validates them. */
export function simulatedRouter(service: string, baselineConfigured = false): TrafficRouter {
  let weights: Required<TrafficWeights> = { canary: 0, baseline: 0 };
  const setWeights = (next: TrafficWeights): Promise<void> => {
    weights = assertTrafficWeights(next, baselineConfigured);
    return Promise.resolve();
  };
  return {
    name: `simulated#${service}`,
    baselineConfigured,
    setWeight: (canary) => setWeights({ canary }),
    setWeights,
    verifyWeight(): Promise<WeightState> {
      const stable = 100 - weights.canary - weights.baseline;
      return Promise.resolve(baselineConfigured ? { canary: weights.canary, stable, baseline: weights.baseline } : { canary: weights.canary, stable });
    },
    setHeaderRoute: () => Promise.resolve(),
    reset: () => setWeights({ canary: 0, baseline: 0 }),
  };
}

/** The digest a simulated deploy reports: the same for the same service, version and variant. */
export function simulatedDigest(service: string, version: string, variant: string): string {
  return `sha256:${createHash('sha256').update(`${service}\n${version}\n${variant}`).digest('hex')}`;
}

/** A deployer whose operations all succeed at once, with a digest and a passing health check. */
export function simulatedDeployer(): Deployer {
  const result = (operation: DeployOperation, target: DeployTarget, version?: string): Promise<DeployResult> =>
    Promise.resolve({
      operation,
      ok: true,
      digest: version === undefined ? null : simulatedDigest(target.service, version, operation),
      ...(version === undefined ? { digestNote: 'nothing deployed by this operation' } : {}),
      ...(version === undefined ? {} : { health: { ok: true, url: `sim://${target.service}/health`, attempts: 1, durationMs: 0 } }),
      evidence: { kind: 'sample', action: version === undefined ? 'stopped' : 'started', ...(version === undefined ? {} : { version }) },
      durationMs: 0,
    });
  return {
    name: 'simulated',
    supportsBaseline: true,
    deployCanary: (target) => result('deployCanary', target, target.toVersion),
    deployBaseline: (target) => result('deployBaseline', target, target.fromVersion),
    promote: (target) => result('promote', target),
    removeCanary: (target) => result('removeCanary', target),
    removeBaseline: (target) => result('removeBaseline', target),
    close: () => Promise.resolve(),
  };
}

/** A threshold-style verdict on a p95 latency with `samplesPerWindow` requests per variant. */
export function simulatedVerdict(outcome: 'pass' | 'fail', window: { start: string; end: string }): Verdict {
  const canaryP95 = outcome === 'pass' ? 120 : 400;
  return {
    judge: 'threshold',
    outcome,
    reason: `p95 ${canaryP95} ms ${outcome === 'pass' ? 'within' : 'above'} 250 ms`,
    evidence: [
      {
        metric: 'p95_latency',
        outcome,
        critical: false,
        window,
        values: { canary: { count: samplesPerWindow, value: canaryP95 }, stable: { count: samplesPerWindow * 19, value: 110 } },
        threshold: 'p95 < 250ms',
        statistics: {},
        reason: `p95 ${canaryP95} ms against 250 ms`,
      },
    ],
  };
}

/**
 * Where each rollout's canary is bad: the step (0-based) at which its analysis fails, or none. A
 * verdict before that step passes, so a rollback happens at that step's weight.
 */
export type FailurePlan = ReadonlyMap<string, number>;

/** The analysis runner: pass, except from the planned failing step of a planned failing rollout. */
export function simulatedAnalysis(failures: FailurePlan): AnalysisRunner {
  return (action, state) => Promise.resolve(verdictFor(failures, action, state));
}

function verdictFor(failures: FailurePlan, action: Extract<Action, { kind: 'run-analysis' }>, state: RolloutState): Verdict {
  const failAt = failures.get(state.rolloutId);
  return simulatedVerdict(failAt !== undefined && state.step >= failAt ? 'fail' : 'pass', action.window);
}

/**
 * What the reconciler would record for `action` run against the simulated estate: the observation
 * handed back to the reducer, or null for actions that report nothing (notifications, transitions,
 * evidence, removals). The store-less reference run answers its actions with this.
 */
export function observationFor(action: Action, state: RolloutState, failures: FailurePlan, versions: { fromVersion: string; toVersion: string }): Observation | null {
  switch (action.kind) {
    case 'deploy': {
      const version = action.variant === 'canary' ? versions.toVersion : versions.fromVersion;
      const operation = action.variant === 'canary' ? 'deployCanary' : 'deployBaseline';
      const evidence = JSON.stringify({ kind: 'sample', action: 'started', version });
      return { type: 'deploy-finished', actionId: action.id, ok: true, digest: simulatedDigest(state.service, version, operation), evidence };
    }
    case 'wait-for-health':
      return { type: 'health', actionId: action.id, ok: true };
    case 'set-weights':
      return { type: 'weights-applied', actionId: action.id, ok: true, readBack: { canary: action.weights.canary, baseline: action.weights.baseline } };
    case 'run-analysis':
      return { type: 'verdict', actionId: action.id, verdict: verdictFor(failures, action, state) };
    default:
      return null;
  }
}
