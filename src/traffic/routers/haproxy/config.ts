import { UfError } from '../../../core/errors.js';
import { parseRuntimeApiAddress } from './runtime-api.js';
import { assertTrafficWeights } from '../../validate.js';

export interface HaproxyConfigInput {
  /** Where the runtime API listens: a unix socket path or `host:port`; rendered with `level admin`. */
  runtimeApi: string;
  /** The frontend's `bind` address, e.g. `127.0.0.1:8080`. */
  bind: string;
  backend: string;
  servers: { stable: { name: string; address: string }; canary: { name: string; address: string }; baseline?: { name: string; address: string } };
  /** The route map file; it must exist (empty) before HAProxy starts. */
  routeMap: string;
  /** Canary percentage at start; default 0. */
  canary?: number;
  /** Baseline percentage at start (needs a baseline server); default 0. */
  baseline?: number;
}

/**
 * A complete haproxy.cfg for one service behind uf (tests and quick starts), and the reference for
 * the lines an existing configuration needs:
 * - `stats socket … level admin`: uf changes weights and the route map over it;
 * - `balance roundrobin`: a dynamic algorithm, so weights change without a reload;
 * - the `use-server` rule with `map_reg` over `req.hdrs`: the header or cookie route, whose
 *   name and value uf sets at run time through the map.
 */
export function renderHaproxyConfig(input: HaproxyConfigInput): string {
  const { canary, baseline } = assertTrafficWeights({ canary: input.canary ?? 0, baseline: input.baseline ?? 0 }, input.servers.baseline !== undefined);
  const api = parseRuntimeApiAddress(input.runtimeApi);
  const socket = api.kind === 'unix' ? `${api.path} mode 600` : `ipv4@${api.host}:${api.port}`;
  for (const [key, value] of Object.entries({ bind: input.bind, routeMap: input.routeMap, runtimeApi: input.runtimeApi })) {
    if (/\s/.test(value)) throw new UfError('usage', 'HAProxy configuration values cannot contain spaces', { path: key, record: value });
  }
  const { stable, canary: canaryServer, baseline: baselineServer } = input.servers;
  return [
    'global',
    `    stats socket ${socket} level admin`,
    '    stats timeout 30s',
    '',
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 30s',
    '    timeout server 30s',
    '',
    `frontend ${input.backend}_in`,
    `    bind ${input.bind}`,
    `    default_backend ${input.backend}`,
    '',
    `backend ${input.backend}`,
    '    balance roundrobin',
    '    # Requests matching the route uf puts in the map go to the canary, whatever its weight.',
    `    use-server ${canaryServer.name} if { req.hdrs,map_reg(${input.routeMap}) -m found }`,
    `    server ${stable.name} ${stable.address} weight ${100 - canary - baseline}`,
    `    server ${canaryServer.name} ${canaryServer.address} weight ${canary}`,
    ...(baselineServer ? [`    server ${baselineServer.name} ${baselineServer.address} weight ${baseline}`] : []),
    '',
  ].join('\n');
}
