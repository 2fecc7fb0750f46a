import { UfError } from '../core/errors.js';
import type { HeaderRoute, TrafficWeights } from './types.js';

// Shared by every router, so a route works the same behind the built-in proxy, HAProxy and nginx.

/** The interface's weights are whole percentages; anything else is a caller's mistake. */
export function assertCanaryWeight(canary: number): void {
  if (!Number.isInteger(canary) || canary < 0 || canary > 100) {
    throw new UfError('usage', 'the canary weight is a whole percentage from 0 to 100', {
      path: 'canary',
      record: String(canary),
    });
  }
}

const isPercent = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100;

/**
 * Checks a weight change for any router: whole percentages, canary + baseline at most 100, and a
 * non-zero baseline only where a baseline upstream is configured. Returns the weights with the
 * baseline filled in (0 when absent).
 */
export function assertTrafficWeights(weights: TrafficWeights, baselineConfigured: boolean): Required<TrafficWeights> {
  assertCanaryWeight(weights.canary);
  const baseline = weights.baseline ?? 0;
  if (!isPercent(baseline)) {
    throw new UfError('usage', 'the baseline weight is a whole percentage from 0 to 100', { path: 'baseline', record: String(baseline) });
  }
  if (weights.canary + baseline > 100) {
    throw new UfError('usage', `the canary and baseline weights add up to more than 100 (${weights.canary} + ${baseline})`, {
      path: 'baseline',
      record: `${weights.canary}+${baseline}`,
    });
  }
  if (baseline > 0 && !baselineConfigured) {
    throw new UfError('usage', 'this router has no baseline upstream configured: configure one (baseline) before giving it traffic', {
      path: 'baseline',
      record: String(baseline),
    });
  }
  return { canary: weights.canary, baseline };
}

/**
 * Header names are HTTP tokens without `_` (nginx ignores headers with underscores by default and
 * names its `$http_…` variables after them); values avoid quotes, `$` and `\`, which nginx strings
 * would interpret.
 */
const routeRules = {
  header: /^[A-Za-z0-9-]{1,64}$/,
  cookie: /^[A-Za-z0-9_.-]{1,64}$/,
  value: /^[A-Za-z0-9._~+=:@/-]{1,128}$/,
} as const;

export function assertHeaderRoute(route: HeaderRoute): void {
  if (route.kind !== 'header' && route.kind !== 'cookie') {
    throw new UfError('usage', 'a route matches a header or a cookie', { path: 'kind', record: String(route.kind) });
  }
  if (!routeRules[route.kind].test(route.name)) {
    throw new UfError('usage', `invalid ${route.kind} name for a canary route`, { path: 'name', record: route.name });
  }
  if (!routeRules.value.test(route.value)) {
    throw new UfError('usage', 'a canary route value uses letters, digits and . _ ~ + = : @ / - (1 to 128)', {
      path: 'value',
      record: route.value,
    });
  }
}
