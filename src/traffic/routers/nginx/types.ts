import type { Logger } from 'pino';
import type { HeaderRoute } from '../../types.js';

/** The upstreams and the status endpoint one include file describes. */
export interface NginxTarget {
  /** Names the generated blocks and variables (`uf_<service>_upstream`); lower case, digits, `_`. */
  service: string;
  /** `server` addresses as nginx writes them: `127.0.0.1:8001`, `app-v1.internal:80`, `unix:/run/app.sock`. */
  stable: string;
  canary: string;
  /** The baseline's `server` address, when there is one: the stable version deployed fresh, given the canary's share. */
  baseline?: string | undefined;
  /**
   * Loopback `host:port` of the status endpoint rendered into the include file: it answers with the
   * state compiled into the running configuration, which is how uf knows a reload finished.
   * Several services may share one address (each answers for its own `Host: uf-state.<service>`).
   */
  statusListen: string;
}

export interface NginxRouterOptions extends NginxTarget {
  /** The include file uf owns, included from the `http` block of nginx.conf. */
  includeFile: string;
  /**
   * The running nginx: `binary`, `prefix`, `config` and `errorLog` as the master was started with
   * (for `nginx -t`), and the master's `pidFile` (the `pid` directive; Debian: `/run/nginx.pid`),
   * which uf signals to reload and watches for the hand-over to new workers.
   */
  nginx: { binary?: string; config: string; prefix?: string; errorLog?: string; pidFile: string };
  /** How long a reload may take to show on the status endpoint; default 10000 ms. */
  reloadTimeoutMs?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

/** What the include file renders; `generation` goes up by one with every file uf installs. */
export interface NginxRouteState {
  generation: number;
  canary: number;
  /** Percent for the baseline; only rendered for a target with a baseline (0 when absent). */
  baseline?: number | undefined;
  route?: HeaderRoute | undefined;
}
