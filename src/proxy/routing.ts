import type { IncomingMessage } from 'node:http';
import { bucketCount, bucketOf, seedOf, thresholdOf } from './assign.js';
import { headerValue, readCookie, stickyKey } from './sticky.js';
import type { OverrideRoute, StickySource, Variant } from './types.js';

/** What the data plane routes by. Never mutated: a change swaps the whole object. */
export interface RoutingState {
  /** Percent of requests for the canary, 0..100. */
  readonly canaryWeight: number;
  /** Buckets below this go to the canary (see `assign.ts`). */
  readonly threshold: number;
  readonly route: Readonly<OverrideRoute> | undefined;
  /** Counts changes, so a reader can tell two states apart. */
  readonly generation: number;
}

export interface RoutingOptions {
  canaryWeight: number;
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
  private readonly sticky: StickySource | undefined;
  private readonly seed: number;
  private readonly random: () => number;

  constructor(options: RoutingOptions) {
    this.sticky = options.sticky;
    this.seed = seedOf(options.stickySalt ?? '');
    this.random = options.random ?? Math.random;
    this.current = { canaryWeight: options.canaryWeight, threshold: thresholdOf(options.canaryWeight), route: undefined, generation: 0 };
  }

  get state(): RoutingState {
    return this.current;
  }

  setWeight(canaryWeight: number): RoutingState {
    return this.swap({ ...this.current, canaryWeight, threshold: thresholdOf(canaryWeight) });
  }

  setRoute(route: OverrideRoute | undefined): RoutingState {
    return this.swap({ ...this.current, route: route ? { ...route, name: route.kind === 'header' ? route.name.toLowerCase() : route.name } : undefined });
  }

  /** Weight 0 and no override route. */
  reset(): RoutingState {
    return this.swap({ ...this.current, canaryWeight: 0, threshold: 0, route: undefined });
  }

  /** The version this request goes to under `state` (pass the state the request read). */
  choose(req: IncomingMessage, state: RoutingState = this.current): Variant {
    const route = state.route;
    if (route !== undefined && overrideMatches(req, route)) return route.variant;
    if (state.threshold <= 0) return 'stable';
    if (state.threshold >= bucketCount) return 'canary';
    const key = stickyKey(req, this.sticky);
    const bucket = key === undefined ? Math.floor(this.random() * bucketCount) : bucketOf(key, this.seed);
    return bucket < state.threshold ? 'canary' : 'stable';
  }

  private swap(next: RoutingState): RoutingState {
    this.current = Object.freeze({ ...next, generation: this.current.generation + 1 });
    return this.current;
  }
}

function overrideMatches(req: IncomingMessage, route: Readonly<OverrideRoute>): boolean {
  if (route.kind === 'header') return headerValue(req, route.name) === route.value;
  return readCookie(headerValue(req, 'cookie'), route.name) === route.value;
}
