import type { FactoryConfig } from '../../config/schema.js';
import type { Journey } from '../../config/sections/journeys.js';
import { trafficRouterEntries } from '../../config/sections/traffic.js';
import { UfError } from '../../core/errors.js';
import { didYouMean } from '../../core/known-names.js';
import type { Clock } from '../../core/clock.js';
import { runJourney } from './run.js';
import type { JourneyResult, ProbeOptions, ProbeTarget } from './types.js';
import { readOverrideRoute, variantTarget, type ProbeVariant, type VariantTarget } from './target.js';

/** The journey named `name` under `journeys:`; a usage error naming the known ones otherwise. */
export function findJourney(config: FactoryConfig, name: string): Journey {
  const journey = config.journeys.find((j) => j.name === name);
  if (journey !== undefined) return journey;
  const known = config.journeys.map((j) => j.name);
  if (known.length === 0) throw new UfError('usage', `no journey named '${name}': factory.yaml defines no journeys (add them under journeys:)`);
  throw new UfError('usage', `no journey named '${name}' under journeys:${didYouMean(name, known)} (journeys: ${known.join(', ')})`);
}

export interface TargetChoice {
  /** A base URL given by hand: the journey runs there, unforced. */
  target?: string;
  /** The canary or stable of the journey's service, through its built-in router. */
  variant?: ProbeVariant;
  /** The admin token of the built-in routers (UF_ADMIN_TOKEN), to read their override route. */
  adminToken?: string;
}

/**
 * Where a journey runs: `target` as given; or a variant of the journey's service behind its
 * built-in router (see `variantTarget`: pinned by the router's override route, read from its
 * admin API, or the variant's upstream directly); or, with neither, the router unforced.
 */
export async function configuredTarget(config: FactoryConfig, journey: Journey, choice: TargetChoice): Promise<VariantTarget> {
  if (choice.target !== undefined && choice.variant !== undefined) throw new UfError('usage', 'give --target or --variant, not both: --variant reaches the service through its router');
  if (choice.target !== undefined) {
    if (!/^https?:\/\/[^/]/i.test(choice.target) || !URL.canParse(choice.target)) throw new UfError('usage', `--target: expected an http:// or https:// URL, not '${choice.target}'`);
    return { baseUrl: choice.target, via: 'the given target' };
  }
  const router = trafficRouterEntries(config.traffic)
    .map((entry) => entry.router)
    .find((r) => r.kind === 'builtin' && r.service === journey.service);
  if (router === undefined || router.kind !== 'builtin') {
    throw new UfError('usage', `journey ${journey.name}: service ${journey.service} has no built-in router under traffic: in factory.yaml; give --target URL`);
  }
  if (choice.variant === undefined) return { baseUrl: `http://${router.listen}`, via: `the ${router.service} router at ${router.listen}, unforced (by weight)` };
  const route = router.admin === undefined ? undefined : await readOverrideRoute(`http://${router.admin}`, choice.adminToken);
  return variantTarget(router, choice.variant, route);
}

/** Journey probes as the composition root hands them to the front ends: target and run, with the process's clock and router admin token. */
export interface JourneyProbes {
  target(journey: Journey, choice: Omit<TargetChoice, 'adminToken'>): Promise<VariantTarget>;
  run(journey: Journey, target: ProbeTarget, options?: ProbeOptions): Promise<JourneyResult>;
}

export function createJourneyProbes(config: FactoryConfig, deps: { clock: Clock; adminToken: string | undefined }): JourneyProbes {
  return {
    target: (journey, choice) => configuredTarget(config, journey, { ...choice, ...(deps.adminToken ? { adminToken: deps.adminToken } : {}) }),
    run: (journey, target, options = {}) => runJourney(journey, target, { clock: deps.clock }, options),
  };
}
