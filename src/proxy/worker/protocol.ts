import type { WeightsView } from '../admin-schema.js';
import type { ProxyStats, ResetResult } from '../control.js';
import type { HostPort } from '../server.js';
import type { OverrideRoute, ProxyTimeouts, StickySource } from '../types.js';

/**
 * Messages between the main thread of `uf serve` and the worker thread that runs its built-in
 * routers. Both ends are this code base in one process (structured clone, no outside input), so
 * plain types suffice here; the outside input was parsed by the config schema before.
 */

/** One router as the worker starts it: everything cloneable, nothing that lives in the main thread. */
export interface RouterSpec {
  service: string;
  listen: HostPort;
  stable: string;
  canary: string;
  /** The baseline upstream, when the router has one. */
  baseline?: string;
  canaryWeight: number;
  /** Percent for the baseline at start (a restart resumes with the last one); 0 when absent. */
  baselineWeight?: number;
  route?: OverrideRoute;
  sticky?: StickySource;
  admin?: HostPort;
  adminToken?: string;
  timeouts?: Partial<ProxyTimeouts>;
}

export interface WorkerSetup {
  routers: RouterSpec[];
  logLevel: string;
}

/** What the main thread can ask of one router; each maps to a `ProxyControl` method. */
export interface RouterCalls {
  weights: { arg: undefined; result: WeightsView };
  setWeight: { arg: number; result: WeightsView };
  setWeights: { arg: { canary: number; baseline?: number }; result: WeightsView };
  setRoute: { arg: OverrideRoute | undefined; result: WeightsView };
  reset: { arg: undefined; result: ResetResult };
  stats: { arg: number | undefined; result: ProxyStats };
  metrics: { arg: undefined; result: { contentType: string; text: string } };
}
export type RouterCall = keyof RouterCalls;

export type ToWorker = { type: 'call'; id: number; service: string; op: RouterCall; arg: unknown } | { type: 'close' };

export interface SerializedError {
  code: string | undefined;
  message: string;
}

export type FromWorker =
  | { type: 'ready'; routers: Array<{ service: string; url: string; adminUrl: string | undefined; listen: HostPort; admin: HostPort | undefined }> }
  | { type: 'failed'; error: SerializedError }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: SerializedError }
  /** Sent on every change of weights or route, from the admin API too: a restart resumes from it. */
  | { type: 'changed'; service: string; view: WeightsView };
