import type { WeightsView } from '../../../proxy/admin-schema.js';
import type { RouterHandle } from '../../../proxy/worker/host.js';
import type { HeaderRoute, TrafficRouter, TrafficWeights, WeightState } from '../../types.js';
import { assertHeaderRoute, assertTrafficWeights } from '../../validate.js';

/**
 * Drives a built-in router that `uf serve` runs in its worker thread, by message rather than over
 * its admin API. A call the worker cannot answer (restarting, busy) fails with
 * UfError('source_unavailable') and leaves traffic as it was: the router keeps its last weights.
 * Canary and baseline weights change in one swap of the routing table (no request sees half of it).
 */
export function createInProcessBuiltinRouter(handle: RouterHandle): TrafficRouter {
  const setWeights = async (weights: TrafficWeights): Promise<void> => {
    await handle.call('setWeights', assertTrafficWeights(weights, handle.hasBaseline));
  };

  return {
    name: `builtin:in-process#${handle.service}`,
    baselineConfigured: handle.hasBaseline,
    setWeight: (canary) => setWeights({ canary }),
    setWeights,
    async verifyWeight() {
      return toWeightState(await handle.call('weights'));
    },
    async setHeaderRoute(route) {
      if (route === undefined) {
        await handle.call('setRoute', undefined);
        return;
      }
      assertHeaderRoute(route);
      await handle.call('setRoute', { kind: route.kind, name: route.name, value: route.value, variant: 'canary' });
    },
    async reset() {
      await handle.call('reset');
    },
  };
}

function toWeightState(view: WeightsView): WeightState {
  const state: WeightState = { canary: view.canary, stable: view.stable, ...(view.baseline !== undefined ? { baseline: view.baseline } : {}) };
  const route = view.route;
  if (route && route.variant === 'canary') state.headerRoute = { kind: route.kind, name: route.name, value: route.value } satisfies HeaderRoute;
  return state;
}
