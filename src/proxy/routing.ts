import type { IncomingMessage } from 'node:http';
import { baselineStartOf, bucketCount, bucketOf, seedOf, thresholdOf } from './assign.js';
import { headerValue, readCookie, stickyKey } from './sticky.js';
import type { OverrideRoute, StickySource, Variant } from './types.js';

/** What the data plane routes by. Never mutated: a change swaps the whole object. */
export interface RoutingState {
  /** Percent of requests for the canary, 0..100. */
  readonly canaryWeight: number;
  /** Buckets below this go to the canary (see `assign.ts`). */
  readonly threshold: number;
  /** Percent of requests for the baseline, 0..100; always 0 without a baseline upstream. */
  readonly baselineWeight: number;
  /** Buckets from this one up go to the baseline (`bucketCount` when it takes none; see `assign.ts`). */
  readonly baselineStart: number;
  readonly route: Readonly<OverrideRoute> | undefined;
  /** Counts changes, so a reader can tell two states apart. */
  readonly generation: number;
}

export interface RoutingOptions {
  canaryWeight: number;
  /** Whether a baseline upstream is configured; without one the baseline weight stays 0. */
  hasBaseline?: boolean;
  /** Percent of requests for the baseline at start; 0 by default. */
  baselineWeight?: number;
  sticky: StickySource | undefined;
  /** Gives this rollout its own draw of canary users; empty by default. */
  stickySalt?: string;
  /** Source of randomness for requests without a sticky key; Math.random by default. */
  random?: () => number;
}

/**
 * The routing table of the data plane. Each request reads `state` once and routes by it to the
 * end, so a weight change is atomic: no request sees half of it, and requests already sent go on
 * where they were sent (nothing in flight is dropped).
 */
export class RoutingTable {
  private current: RoutingState;
  /** Whether a baseline upstream is configured (fixed for the life of the proxy). */
  readonly hasBaseline: boolean;
  private readonly sticky: StickySource | undefined;
  private readonly seed: number;
  private readonly random: () => number;

  constructor(options: RoutingOptions) {
    this.sticky = options.sticky;
    this.hasBaseline = options.hasBaseline ?? false;
    this.seed = seedOf(options.stickySalt ?? '');
    this.random = options.random ?? Math.random;
    this.current = { ...weightsOf(options.canaryWeight, this.hasBaseline ? (options.baselineWeight ?? 0) : 0), route: undefined, generation: 0 };
  }

  get state(): RoutingState {
    return this.current;
  }

  /** Both weights in one swap: no request sees the canary's new share with the baseline's old one. */
  setWeights(canaryWeight: number, baselineWeight = 0): RoutingState {
    return this.swap({ ...this.current, ...weightsOf(canaryWeight, baselineWeight) });
  }

  setWeight(canaryWeight: number): RoutingState {
    return this.setWeights(canaryWeight, 0);
  }

  setRoute(route: OverrideRoute | undefined): RoutingState {
    return this.swap({ ...this.current, route: route ? { ...route, name: route.kind === 'header' ? route.name.toLowerCase() : route.name } : undefined });
  }

  /** Weight 0 and no override route. */
  reset(): RoutingState {
    return this.swap({ ...this.current, ...weightsOf(0, 0), route: undefined });
  }

  /** The version this request goes to under `state` (pass the state the request read). */
  choose(req: IncomingMessage, state: RoutingState = this.current): Variant {
    const route = state.route;
    if (route !== undefined && overrideMatches(req, route)) return route.variant;
    if (state.threshold <= 0 && state.baselineStart >= bucketCount) return 'stable';
    if (state.threshold >= bucketCount) return 'canary';
    const key = stickyKey(req, this.sticky);
    const bucket = key === undefined ? Math.floor(this.random() * bucketCount) : bucketOf(key, this.seed);
    if (bucket < state.threshold) return 'canary';
    return bucket >= state.baselineStart ? 'baseline' : 'stable';
  }

  /**
   * Takes weights, route and generation from another table (the cluster primary's) in one swap,
   * so a router worker holds exactly the state the primary decided, generation included.
   */
  adopt(state: Pick<RoutingState, 'canaryWeight' | 'baselineWeight' | 'route' | 'generation'>): RoutingState {
    const baseline = this.hasBaseline ? state.baselineWeight : 0;
    const route = state.route ? { ...state.route, name: state.route.kind === 'header' ? state.route.name.toLowerCase() : state.route.name } : undefined;
    this.current = Object.freeze({ ...weightsOf(state.canaryWeight, baseline), route, generation: state.generation });
    return this.current;
  }

  private swap(next: RoutingState): RoutingState {
    this.current = Object.freeze({ ...next, generation: this.current.generation + 1 });
    return this.current;
  }
}

function weightsOf(canaryWeight: number, baselineWeight: number): Pick<RoutingState, 'canaryWeight' | 'threshold' | 'baselineWeight' | 'baselineStart'> {
  const threshold = thresholdOf(canaryWeight);
  return { canaryWeight, threshold, baselineWeight, baselineStart: baselineStartOf(baselineWeight, threshold) };
}

function overrideMatches(req: IncomingMessage, route: Readonly<OverrideRoute>): boolean {
  if (route.kind === 'header') return headerValue(req, route.name) === route.value;
  return readCookie(headerValue(req, 'cookie'), route.name) === route.value;
}
