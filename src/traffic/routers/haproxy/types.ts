import type { Logger } from 'pino';

/** What the routers log through: pino's `info` and `warn` (fixed message plus a metadata object). */
export type RouterLogger = Pick<Logger, 'info' | 'warn'>;

export interface HaproxyRouterOptions {
  /**
   * HAProxy's runtime API, as declared by `stats socket … level admin`: a unix socket path
   * (`/run/haproxy/admin.sock`, or `unix@/…`) or `host:port` (`ipv4@host:port`, `[::1]:port`).
   */
  runtimeApi: string;
  /** The backend that holds the servers, e.g. `shop`. */
  backend: string;
  /**
   * The names of the `server` lines in that backend: stable, canary, and the baseline's when the
   * backend has one (the stable version deployed fresh, given the canary's share).
   */
  servers: { stable: string; canary: string; baseline?: string | undefined };
  /**
   * The map file the backend's `use-server <canary> if { req.hdrs,map_reg(<file>) -m found }` rule
   * reads, spelled exactly as in haproxy.cfg (HAProxy names maps by that string). uf owns its
   * contents at run time; HAProxy reloads the file from disk (normally empty) on restart.
   */
  routeMap: string;
  /** Per runtime API call; default 5000 ms. */
  timeoutMs?: number;
  logger?: RouterLogger;
}

/** HAProxy's own per-server counters, from `show stat`: cumulative since start or `clear counters`. */
export interface HaproxyServerCounters {
  /** `status`, e.g. `UP`, `no check`, `DRAIN`, `DOWN`, `MAINT`. */
  status: string;
  /** Effective weight in force (`weight`), on the user scale 0..256. */
  weight: number;
  /** Sessions (HTTP requests in `mode http`) sent to the server (`stot`). */
  sessions: number;
  /** Times the load balancer picked the server (`lbtot`); requests forced by the route are not counted. */
  balancerPicks: number;
  /** Responses by class (`hrsp_2xx`, `hrsp_5xx`). */
  responses2xx: number;
  responses5xx: number;
}

export interface HaproxyCounters {
  stable: HaproxyServerCounters;
  canary: HaproxyServerCounters;
  /** When the router has a baseline server. */
  baseline?: HaproxyServerCounters;
}
