import type { Clock } from '../core/clock.js';
import { UfError } from '../core/errors.js';
import type { WeightsView } from './admin-schema.js';
import type { ClientErrorReason } from './client-errors.js';
import type { RoutingState, RoutingTable } from './routing.js';
import type { ProxyMeters } from './prometheus.js';
import type { OverrideRoute } from './types.js';
import { statsMaxSeconds, type VariantStats } from './variant-meter.js';

export interface ProxyStats {
  /** ISO time of the snapshot, UTC. */
  at: string;
  weights: WeightsView;
  /** Per version; `baseline` only when the proxy has a baseline upstream. */
  variants: Record<'stable' | 'canary', VariantStats> & { baseline?: VariantStats };
  /** Requests refused or cut short because of the client, since the proxy started; no version is charged. */
  clientErrors: Record<ClientErrorReason, number>;
}

export interface ResetResult extends WeightsView {
  /** Whether every request that was on the canary (and the baseline) finished within the drain time. */
  drained: boolean;
  canaryInFlight: number;
  /** Present when the proxy has a baseline upstream. */
  baselineInFlight?: number;
}

/** What the admin API (and an in-process caller such as `uf serve`) can do to a running proxy. */
export interface ProxyControl {
  weights(): WeightsView;
  /** Sends `canary` percent (0..100) to the canary from the next request on, the baseline none; anything else throws UfError('usage'). */
  setWeight(canary: number): WeightsView;
  /**
   * Both weights in one atomic swap (the baseline 0 when absent). A non-zero baseline without a
   * baseline upstream, a weight outside 0..100 or a sum above 100 throws UfError('usage') and
   * changes nothing.
   */
  setWeights(weights: { canary: number; baseline?: number | undefined }): WeightsView;
  setRoute(route: OverrideRoute | undefined): WeightsView;
  /** Weights 0 and no route, then waits (up to the drain time) for canary and baseline requests in flight to end. */
  reset(): Promise<ResetResult>;
  /** Per-variant counts and the last 10 s and 60 s, plus the last `seconds` s (1 to 60) when given. */
  stats(seconds?: number): ProxyStats;
  metrics(): Promise<{ contentType: string; text: string }>;
}

/** `hasBaseline`: whether to report the baseline's weight (only a proxy with a baseline upstream does). */
export function viewOf(state: RoutingState, hasBaseline = false): WeightsView {
  return {
    canary: state.canaryWeight,
    stable: Math.round((100 - state.canaryWeight - state.baselineWeight) * 100) / 100,
    ...(hasBaseline ? { baseline: state.baselineWeight } : {}),
    route: state.route ? { ...state.route } : null,
    generation: state.generation,
  };
}

const isWeight = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= 100;

/** Refuses weights the proxy cannot take, with UfError('usage'); shared by the single-process and the cluster control. */
export function checkWeights(canary: number, baseline: number, hasBaseline: boolean): void {
  // In-process callers skip the admin API's schema; NaN here would route every request to stable silently.
  if (!isWeight(canary)) throw new UfError('usage', `the canary weight must be a number from 0 to 100, not ${String(canary)}`);
  if (!isWeight(baseline)) throw new UfError('usage', `the baseline weight must be a number from 0 to 100, not ${String(baseline)}`);
  if (canary + baseline > 100) throw new UfError('usage', `the canary and baseline weights add up to more than 100 (${canary} + ${baseline})`);
  if (baseline > 0 && !hasBaseline) throw new UfError('usage', 'this proxy has no baseline upstream (start it with a baseline URL): the baseline weight must stay 0');
}

export function checkRoute(route: OverrideRoute | undefined, hasBaseline: boolean): void {
  if (route?.variant === 'baseline' && !hasBaseline) throw new UfError('usage', 'this proxy has no baseline upstream: a route cannot send requests to it');
}

/** `seconds` of `/stats?seconds=N`: a whole number from 1 to 60, or UfError('usage'). */
export function checkStatsSeconds(seconds: number | undefined): void {
  if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 1 && seconds <= statsMaxSeconds)) {
    throw new UfError('usage', `seconds must be a whole number from 1 to ${statsMaxSeconds}: the router keeps the last ${statsMaxSeconds} s`);
  }
}

/**
 * `clock` dates the stats snapshots; `onChange` hears every change of weights or route, whoever
 * made it (admin API or in-process caller).
 */
export function createControl(routing: RoutingTable, proxyMeters: ProxyMeters, clock: Clock, drainTimeoutMs: number, onChange: (view: WeightsView) => void = () => undefined): ProxyControl {
  const { meters, registry, clientErrors } = proxyMeters;
  const { hasBaseline } = routing;
  const view = (state: RoutingState): WeightsView => viewOf(state, hasBaseline);
  const changed = (state: RoutingState): WeightsView => {
    const next = view(state);
    onChange(next);
    return next;
  };
  const setWeights: ProxyControl['setWeights'] = ({ canary, baseline = 0 }) => {
    checkWeights(canary, baseline, hasBaseline);
    return changed(routing.setWeights(canary, baseline));
  };
  return {
    weights: () => view(routing.state),
    setWeight: (canary) => setWeights({ canary }),
    setWeights,
    setRoute(route) {
      checkRoute(route, hasBaseline);
      return changed(routing.setRoute(route));
    },
    async reset() {
      const state = routing.reset();
      changed(state);
      const drained = await waitUntil(() => meters.canary.inFlight + meters.baseline.inFlight === 0, drainTimeoutMs);
      return { ...view(state), drained, canaryInFlight: meters.canary.inFlight, ...(hasBaseline ? { baselineInFlight: meters.baseline.inFlight } : {}) };
    },
    stats(seconds) {
      checkStatsSeconds(seconds);
      const now = clock.now();
      const nowMs = now.getTime();
      const variants: ProxyStats['variants'] = { stable: meters.stable.stats(nowMs, seconds), canary: meters.canary.stats(nowMs, seconds) };
      if (hasBaseline) variants.baseline = meters.baseline.stats(nowMs, seconds);
      return { at: now.toISOString(), weights: view(routing.state), variants, clientErrors: clientErrors.snapshot() };
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
