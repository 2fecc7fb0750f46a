/**
 * A traffic router puts a share of a service's requests on the canary version and, optionally, the
 * same share on a fresh baseline of the old version (Kayenta's advice: judge the canary against a
 * baseline started at the same time with the same traffic, not against the long-running stable
 * fleet). The factory drives every router through this small interface (as Argo Rollouts and
 * Flagger do); each implementation lives in `routers/<name>/`, is registered by its `kind` in
 * `registry.ts` (how factory.yaml names it under `traffic.routers`), and passes the shared contract
 * suite in `traffic-router.contract.ts`.
 *
 * Weights are integer percentages of requests: `canary` to the canary, `baseline` to the baseline
 * (0 unless set), and the rest to stable.
 */
export interface TrafficRouter {
  /** Stable, human-readable name for logs, e.g. `haproxy:/run/haproxy.sock#shop`. */
  readonly name: string;
  /**
   * Whether a baseline upstream is configured behind this router. Without one, `setWeights` refuses
   * a non-zero baseline and `verifyWeight` reports no `baseline` field.
   */
  readonly baselineConfigured: boolean;
  /**
   * The canary-only form: `setWeights({ canary })`, i.e. the baseline (if any) goes back to 0.
   */
  setWeight(canary: number): Promise<void>;
  /**
   * Sends `canary` percent of requests to the canary, `baseline` percent (0 when absent) to the
   * baseline and the rest to stable, in one change: each router documents how atomic that change
   * is on its data plane (no request ever sees a share outside the old and the new one for the
   * built-in router; see the HAProxy and nginx READMEs for theirs). Resolves once the change is in
   * force; idempotent. Each weight must be a whole percentage from 0 to 100 and their sum at most
   * 100; a non-zero baseline needs a configured baseline upstream. Anything else is rejected with
   * `UfError('usage')` and changes nothing. The header route, if any, is kept.
   */
  setWeights(weights: TrafficWeights): Promise<void>;
  /**
   * The weights actually in force, read back from the data plane (not from what was last set), in
   * whole percentages; `{ canary: 0, stable: 0 }` (and baseline 0) when no side can take traffic.
   */
  verifyWeight(): Promise<WeightState>;
  /**
   * Requests that carry this header (or cookie) with this value always go to the canary, whatever
   * the weight: for testers and synthetic probes. One route at a time: a new one replaces the old;
   * `undefined` removes it. Header names match in any case, values exactly; a cookie matches one
   * whole `name=value` pair of the Cookie header.
   */
  setHeaderRoute(route: HeaderRoute | undefined): Promise<void>;
  /** Everything back to stable: canary and baseline weight 0 and no header route. */
  reset(): Promise<void>;
}

/** What `setWeights` asks for: percent to the canary and (optionally) to the baseline. */
export interface TrafficWeights {
  canary: number;
  /** 0 when absent. */
  baseline?: number;
}

export interface WeightState {
  canary: number;
  stable: number;
  /** Present exactly when the router has a baseline upstream configured (0 when it takes no traffic). */
  baseline?: number;
  /** The header route in force, if the router can report it. */
  headerRoute?: HeaderRoute;
}

export interface HeaderRoute {
  kind: 'header' | 'cookie';
  /** Header or cookie name, e.g. `x-canary`. */
  name: string;
  /** The value that selects the canary, e.g. `always`. */
  value: string;
}
