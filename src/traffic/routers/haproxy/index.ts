import { haproxyRouterOptionsSchema } from '../../../config/sections/traffic.js';
import { UfError } from '../../../core/errors.js';
import type { HeaderRoute, TrafficRouter, TrafficWeights, WeightState } from '../../types.js';
import { parseShowMap, routeFromMapEntry, routeMapEntry } from './route.js';
import { assertHeaderRoute, assertTrafficWeights } from '../../validate.js';
import { cliArgument, describeRuntimeApiAddress, parseRuntimeApiAddress, runtimeApiCommand } from './runtime-api.js';
import { canaryShare, countersOf, parseShowStat, weightInForce, weightShares } from './stats.js';
import type { HaproxyCounters, HaproxyRouterOptions } from './types.js';
import { planWeightChange } from './weights.js';

export { renderHaproxyConfig, type HaproxyConfigInput } from './config.js';
export { parseRuntimeApiAddress, runtimeApiCommand } from './runtime-api.js';
export type { HaproxyCounters, HaproxyRouterOptions, HaproxyServerCounters } from './types.js';

export interface HaproxyRouter extends TrafficRouter {
  /** HAProxy's own counters for the servers (`show stat`), e.g. to check the observed split. */
  readCounters(): Promise<HaproxyCounters>;
}

/**
 * Drives a running HAProxy through its runtime API, without reloads: server weights with
 * `set server <backend>/<server> weight`, the tester route through a `map_reg` map file
 * (see `renderHaproxyConfig` for the haproxy.cfg lines this needs). Changes live in HAProxy's
 * memory; after a restart HAProxy starts from haproxy.cfg again, and uf applies its state again
 * (`reapplyWeights`). With a baseline server, the canary, baseline and stable weights change in one
 * runtime API line: raised weights first, then lowered ones (see `planWeightChange`).
 */
export function createHaproxyRouter(input: HaproxyRouterOptions): HaproxyRouter {
  const parsed = haproxyRouterOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UfError('config_invalid', `invalid HAProxy router options: ${issue?.message ?? 'unknown'}`, {
      path: issue?.path.join('.') ?? '',
    });
  }
  const { backend, servers, routeMap } = parsed.data;
  const { logger } = input;
  const address = parseRuntimeApiAddress(parsed.data.runtimeApi);
  const name = `haproxy:${describeRuntimeApiAddress(address)}#${backend}`;
  const send = (line: string): Promise<string> => runtimeApiCommand(address, line, parsed.data.timeoutMs);
  const map = cliArgument(routeMap);

  /** HAProxy's reason for refusing a command; a missing map, backend or server is `not_found`. */
  const refusal = (answer: string, what: string): UfError => {
    const reason = answer.trim().split('\n')[0] ?? '';
    const missing = /^(Unknown map identifier|No such (backend|server|proxy))/.test(reason);
    return new UfError(missing ? 'not_found' : 'source_unavailable', `HAProxy refused to ${what}: ${reason}`, { record: name });
  };

  /** Commands that succeed print nothing; anything else is HAProxy's reason for refusing. */
  const expectSilence = async (line: string, what: string): Promise<void> => {
    const answer = await send(line);
    if (answer.trim() !== '') throw refusal(answer, what);
  };

  const readServers = async () => {
    const answer = await send(`show stat ${backend} 4 -1`);
    if (/^No such (proxy|backend)/m.test(answer)) throw new UfError('not_found', 'HAProxy has no such backend', { record: backend });
    const rows = parseShowStat(answer).filter((row) => row.pxname === backend);
    const find = (server: string) => {
      const row = rows.find((candidate) => candidate.svname === server);
      if (!row) throw new UfError('not_found', 'HAProxy has no such server in the backend', { record: `${backend}/${server}` });
      return row;
    };
    return { stable: find(servers.stable), canary: find(servers.canary), baseline: servers.baseline === undefined ? undefined : find(servers.baseline) };
  };
  const baselineConfigured = servers.baseline !== undefined;

  // One change at a time: a weight change reads the weights in force to choose its command order.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const setWeights = async (weights: TrafficWeights): Promise<void> => {
    const wanted = assertTrafficWeights(weights, baselineConfigured);
    return exclusive(async () => {
      const current = await readServers();
      const plan = planWeightChange(
        { stable: current.stable.weight, canary: current.canary.weight, ...(current.baseline ? { baseline: current.baseline.weight } : {}) },
        wanted,
      );
      // One line, one connection: HAProxy runs the commands back to back (see planWeightChange for the order).
      const line = plan.map((change) => `set server ${backend}/${servers[change.server] ?? ''} weight ${change.weight}`).join(';');
      await expectSilence(line, 'change the server weights');
      logger?.info({ router: name, canary: wanted.canary, ...(baselineConfigured ? { baseline: wanted.baseline } : {}) }, 'traffic weight set');
    });
  };
  const setWeight = (canary: number): Promise<void> => setWeights({ canary });

  const setHeaderRoute = async (route: HeaderRoute | undefined): Promise<void> => {
    if (route) assertHeaderRoute(route);
    return exclusive(async () => {
      if (!route) {
        await expectSilence(`clear map ${map}`, 'clear the route map');
        logger?.info({ router: name }, 'traffic header route removed');
        return;
      }
      // A new map version is filled, then swapped in at once: no moment without a route or with two.
      const answer = await send(`prepare map ${map}`);
      const prepared = /New version created: (\d+)/.exec(answer);
      if (!prepared) throw refusal(answer, 'prepare a new version of the route map');
      const version = prepared[1] ?? '';
      const entry = routeMapEntry(route);
      await expectSilence(
        `add map @${version} ${map} ${cliArgument(entry.key)} ${cliArgument(entry.value)};commit map @${version} ${map}`,
        'update the route map',
      );
      logger?.info({ router: name, kind: route.kind, header: route.name }, 'traffic header route set');
    });
  };

  const verifyWeight = async (): Promise<WeightState> => {
    const [current, mapOutput] = await Promise.all([readServers(), send(`show map ${map}`)]);
    if (/^Unknown map identifier/m.test(mapOutput)) {
      throw new UfError('not_found', 'HAProxy has no such map: declare it in the backend', { record: routeMap });
    }
    const state: WeightState = current.baseline
      ? weightShares(weightInForce(current.stable), weightInForce(current.canary), weightInForce(current.baseline))
      : canaryShare(weightInForce(current.stable), weightInForce(current.canary));
    const route = parseShowMap(mapOutput).map(routeFromMapEntry).find((candidate) => candidate !== undefined);
    if (route) state.headerRoute = route;
    return state;
  };

  return {
    name,
    baselineConfigured,
    setWeight,
    setWeights,
    verifyWeight,
    setHeaderRoute,
    async reset() {
      await setHeaderRoute(undefined);
      await setWeight(0);
    },
    async readCounters() {
      const current = await readServers();
      return { stable: countersOf(current.stable), canary: countersOf(current.canary), ...(current.baseline ? { baseline: countersOf(current.baseline) } : {}) };
    },
  };
}
