import type { Clock } from '../core/clock.js';
import { UfError } from '../core/errors.js';
import type { WeightsView } from './admin-schema.js';
import type { ClientErrorReason } from './client-errors.js';
import type { RoutingState, RoutingTable } from './routing.js';
import type { ProxyMeters } from './prometheus.js';
import type { OverrideRoute, Variant } from './types.js';
import type { VariantStats } from './variant-meter.js';

export interface ProxyStats {
  /** ISO time of the snapshot, UTC. */
  at: string;
  weights: WeightsView;
  variants: Record<Variant, VariantStats>;
  /** Requests refused or cut short because of the client, since the proxy started; no version is charged. */
  clientErrors: Record<ClientErrorReason, number>;
}

export interface ResetResult extends WeightsView {
  /** Whether every request that was on the canary finished within the drain time. */
  drained: boolean;
  canaryInFlight: number;
}

/** What the admin API (and an in-process caller such as `uf serve`) can do to a running proxy. */
export interface ProxyControl {
  weights(): WeightsView;
  /** Sends `canary` percent (0..100) to the canary from the next request on; anything else throws UfError('usage'). */
  setWeight(canary: number): WeightsView;
  setRoute(route: OverrideRoute | undefined): WeightsView;
  /** Weight 0 and no route, then waits (up to the drain time) for canary requests in flight to end. */
  reset(): Promise<ResetResult>;
  stats(): ProxyStats;
  metrics(): Promise<{ contentType: string; text: string }>;
}

export function viewOf(state: RoutingState): WeightsView {
  return {
    canary: state.canaryWeight,
    stable: Math.round((100 - state.canaryWeight) * 100) / 100,
    route: state.route ? { ...state.route } : null,
    generation: state.generation,
  };
}

/**
 * `clock` dates the stats snapshots; `onChange` hears every change of weights or route, whoever
 * made it (admin API or in-process caller).
 */
export function createControl(routing: RoutingTable, proxyMeters: ProxyMeters, clock: Clock, drainTimeoutMs: number, onChange: (view: WeightsView) => void = () => undefined): ProxyControl {
  const { meters, registry, clientErrors } = proxyMeters;
  const changed = (state: RoutingState): WeightsView => {
    const view = viewOf(state);
    onChange(view);
    return view;
  };
  return {
    weights: () => viewOf(routing.state),
    setWeight(canary) {
      // In-process callers skip the admin API's schema; NaN here would route every request to stable silently.
      if (typeof canary !== 'number' || !(canary >= 0 && canary <= 100)) throw new UfError('usage', `the canary weight must be a number from 0 to 100, not ${String(canary)}`);
      return changed(routing.setWeight(canary));
    },
    setRoute: (route) => changed(routing.setRoute(route)),
    async reset() {
      const state = routing.reset();
      changed(state);
      const drained = await waitUntil(() => meters.canary.inFlight === 0, drainTimeoutMs);
      return { ...viewOf(state), drained, canaryInFlight: meters.canary.inFlight };
    },
    stats() {
      const now = clock.now();
      const nowMs = now.getTime();
      return { at: now.toISOString(), weights: viewOf(routing.state), variants: { stable: meters.stable.stats(nowMs), canary: meters.canary.stats(nowMs) }, clientErrors: clientErrors.snapshot() };
    },
    async metrics() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}

/**
 * Polls `done` every 10 ms until it holds or `timeoutMs` passes; true if it held. The timeout is a
 * duration measured on the monotonic timer, not a time of day, so it takes no Clock.
 */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
