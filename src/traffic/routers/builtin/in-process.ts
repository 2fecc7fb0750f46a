import type { WeightsView } from '../../../proxy/admin-schema.js';
import type { RouterHandle } from '../../../proxy/worker/host.js';
import type { HeaderRoute, TrafficRouter, WeightState } from '../../types.js';
import { assertCanaryWeight, assertHeaderRoute } from '../../validate.js';

/**
 * Drives a built-in router that `uf serve` runs in its worker thread, by message rather than over
 * its admin API. A call the worker cannot answer (restarting, busy) fails with
 * UfError('source_unavailable') and leaves traffic as it was: the router keeps its last weights.
 */
export function createInProcessBuiltinRouter(handle: RouterHandle): TrafficRouter {
  return {
    name: `builtin:in-process#${handle.service}`,
    async setWeight(canary) {
      assertCanaryWeight(canary);
      await handle.call('setWeight', canary);
    },
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
  const state: WeightState = { canary: view.canary, stable: view.stable };
  const route = view.route;
  if (route && route.variant === 'canary') state.headerRoute = { kind: route.kind, name: route.name, value: route.value } satisfies HeaderRoute;
  return state;
}
