import type { HostPort } from '../server.js';
import type { RoutingState } from '../routing.js';
import type { OverrideRoute, ProxyTimeouts, StickySource, Variant } from '../types.js';
import type { MeterSnapshot } from '../variant-meter.js';

/**
 * Messages between the primary of `uf proxy --workers N` and its router worker processes (IPC,
 * both ends this code base). The primary holds the weights and the admin API; each worker holds
 * a copy of the routing state, a data-plane server on the shared listen socket, and its meters.
 */

/** The routing state as the primary decided it, generation included. */
export type SharedRouting = Pick<RoutingState, 'canaryWeight' | 'baselineWeight' | 'route' | 'generation'>;

export interface WorkerInit {
  listen: HostPort;
  stable: string;
  canary: string;
  baseline?: string;
  sticky?: StickySource;
  stickySalt?: string;
  timeouts?: Partial<ProxyTimeouts>;
  connectionsPerUpstream?: number;
  drainTimeoutMs?: number;
  logLevel: string;
  /** The routing in force: the worker routes by it from its first request. */
  routing: SharedRouting;
}

export type ToRouterWorker =
  | { type: 'init'; init: WorkerInit }
  /** A new routing state; the worker swaps it in at once and acknowledges its generation. */
  | { type: 'routing'; routing: SharedRouting }
  | { type: 'snapshot'; id: number }
  | { type: 'close' };

export interface WorkerSnapshot {
  meters: Record<Variant, MeterSnapshot>;
  clientErrors: number[];
}

export type FromRouterWorker =
  /** The worker listens for messages (one sent before would be lost): the primary sends `init` then. */
  | { type: 'hello' }
  | { type: 'ready'; url: string }
  | { type: 'failed'; code: string | undefined; message: string }
  | { type: 'ack'; generation: number }
  | { type: 'snapshot'; id: number; snapshot: WorkerSnapshot };

export function sharedRouting(state: RoutingState): SharedRouting {
  return { canaryWeight: state.canaryWeight, baselineWeight: state.baselineWeight, route: state.route ? ({ ...state.route } as OverrideRoute) : undefined, generation: state.generation };
}
