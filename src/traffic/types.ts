/**
 * A traffic router puts a share of a service's requests on the canary version. The factory drives
 * every router through this small interface (as Argo Rollouts and Flagger do); each implementation
 * lives in `routers/<name>/`, is registered by its `kind` in `registry.ts` (how factory.yaml
 * names it under `traffic.routers`), and passes the shared contract suite in `traffic-router.contract.ts`.
 *
 * Weights are integer percentages of requests sent to the canary; the rest goes to stable.
 */
export interface TrafficRouter {
  /** Stable, human-readable name for logs, e.g. `haproxy:/run/haproxy.sock#shop`. */
  readonly name: string;
  /**
   * Sends `canary` percent (0..100) of requests to the canary and the rest to stable. As atomic as
   * the data plane allows: no request sees a share outside the old and the new one (each router
   * documents its window). Resolves once the change is in force; idempotent. Anything but a whole
   * percentage from 0 to 100 is rejected with `UfError('usage')` and changes nothing. The header
   * route, if any, is kept.
   */
  setWeight(canary: number): Promise<void>;
  /**
   * The weights actually in force, read back from the data plane (not from what was last set), in
   * whole percentages; `{ canary: 0, stable: 0 }` when neither side can take traffic.
   */
  verifyWeight(): Promise<WeightState>;
  /**
   * Requests that carry this header (or cookie) with this value always go to the canary, whatever
   * the weight: for testers and synthetic probes. One route at a time: a new one replaces the old;
   * `undefined` removes it. Header names match in any case, values exactly; a cookie matches one
   * whole `name=value` pair of the Cookie header.
   */
  setHeaderRoute(route: HeaderRoute | undefined): Promise<void>;
  /** Everything back to stable: weight 0 and no header route. */
  reset(): Promise<void>;
}

export interface WeightState {
  canary: number;
  stable: number;
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
