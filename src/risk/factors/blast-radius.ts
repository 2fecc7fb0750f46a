import type { CriticalPath, Tier } from '../../core/service-map.js';
import type { RiskPolicy } from '../../config/sections/risk-policy.js';
import type { SsvcMissionWellbeing } from '../ssvc/types.js';
import type { AffectedService } from '../types.js';
import { clamp01, countsAs, listNames, percent, plural, saturating, type FactorDraft } from './draft.js';

export type BlastRadiusFactor = keyof RiskPolicy['factorWeights']['blastRadius'];

/** How much each tier counts: the most critical service decides. */
const tierWeight: Readonly<Record<Tier, number>> = { critical: 1, high: 0.7, medium: 0.4, low: 0.1 };
const tierOrder: readonly Tier[] = ['low', 'medium', 'high', 'critical'];

/** Auth and payment failures reach users and money at once; an integration path usually has retries and queues. */
const pathWeight: Readonly<Record<CriticalPath, number>> = { auth: 1, payment: 1, integration: 0.5 };

export interface MissionWellbeing {
  value: SsvcMissionWellbeing;
  because: string;
}

/**
 * SSVC Mission and Well-Being Impact from the service map: high when any service is critical tier
 * or on the payment or auth path (failure or compromise hurts customers and revenue directly);
 * medium when any is high tier or on the integration path; low otherwise. A service without a
 * tier counts as the policy's `unknownTier`.
 */
export function missionWellbeing(services: readonly AffectedService[], policy: RiskPolicy): MissionWellbeing {
  const tierOf = (service: AffectedService): Tier => service.tier ?? policy.unknownTier;
  const named = (match: (service: AffectedService) => boolean) => services.filter(match).map((service) => service.name);
  const highTier = named((service) => tierOf(service) === 'critical');
  const highPath = named((service) => service.criticalPaths.includes('payment') || service.criticalPaths.includes('auth'));
  if (highTier.length > 0 || highPath.length > 0) {
    const reasons = [highTier.length > 0 ? `${listNames(highTier)} critical tier` : '', highPath.length > 0 ? `${listNames(highPath)} on the payment or auth path` : ''];
    return { value: 'high', because: reasons.filter((text) => text !== '').join('; ') };
  }
  const mediumTier = named((service) => tierOf(service) === 'high');
  const mediumPath = named((service) => service.criticalPaths.includes('integration'));
  if (mediumTier.length > 0 || mediumPath.length > 0) {
    const reasons = [mediumTier.length > 0 ? `${listNames(mediumTier)} high tier` : '', mediumPath.length > 0 ? `${listNames(mediumPath)} on the integration path` : ''];
    return { value: 'medium', because: reasons.filter((text) => text !== '').join('; ') };
  }
  if (services.length === 0) return { value: 'low', because: 'no affected service is known' };
  return { value: 'low', because: 'no service is critical or high tier or on a critical path' };
}

export function blastRadiusFactors(
  services: readonly AffectedService[],
  mission: MissionWellbeing,
  policy: RiskPolicy,
): Record<BlastRadiusFactor, FactorDraft> {
  return {
    services: serviceCount(services, policy),
    tier: tier(services, policy),
    trafficShare: trafficShare(services, policy),
    criticalPaths: criticalPaths(services),
    transitiveDependents: transitiveDependents(services, policy),
    internetFacing: internetFacing(services),
    missionWellbeing: missionFactor(mission),
  };
}

function serviceCount(services: readonly AffectedService[], policy: RiskPolicy): FactorDraft {
  const full = policy.saturation.services;
  if (services.length === 0) return { value: 0, normalised: 0, reason: 'No service is known to run the component, so nothing receives the change.' };
  const normalised = saturating(services.length, full);
  return {
    value: services.length,
    normalised,
    reason: `${plural(services.length, 'service')} ${services.length === 1 ? 'receives' : 'receive'} the upgrade (${listNames(services.map((service) => service.name))}); ${countsAs(normalised, full, 'saturation.services')}.`,
  };
}

function tier(services: readonly AffectedService[], policy: RiskPolicy): FactorDraft {
  if (services.length === 0) return { value: 'none', normalised: 0, reason: 'No affected service, so no tier to weigh.' };
  const tiers = services.map((service) => service.tier ?? policy.unknownTier);
  const highest = tiers.reduce((top, next) => (tierOrder.indexOf(next) > tierOrder.indexOf(top) ? next : top));
  const atHighest = services.filter((service) => (service.tier ?? policy.unknownTier) === highest).map((service) => service.name);
  const unknown = services.filter((service) => service.tier === undefined).map((service) => service.name);
  const unknownText = unknown.length > 0 ? ` ${listNames(unknown)} ${unknown.length === 1 ? 'has' : 'have'} no tier and count${unknown.length === 1 ? 's' : ''} as ${policy.unknownTier} (policy unknownTier).` : '';
  const normalised = tierWeight[highest];
  return {
    value: highest,
    normalised,
    reason: `Highest tier is ${highest} (${listNames(atHighest)}); tiers count critical 100%, high 70%, medium 40%, low 10%.${unknownText}`,
  };
}

function trafficShare(services: readonly AffectedService[], policy: RiskPolicy): FactorDraft {
  const known = services.filter((service) => service.trafficShare !== undefined);
  if (known.length === 0) {
    return { value: 'unknown', normalised: 0, reason: 'No affected service has a known traffic share, so traffic adds nothing.' };
  }
  const total = clamp01(known.reduce((sum, service) => sum + Math.max(0, service.trafficShare ?? 0), 0));
  const full = policy.saturation.trafficShare;
  const normalised = saturating(total, full);
  const unknown = services.length - known.length;
  const unknownText = unknown > 0 ? ` ${plural(unknown, 'service')} without a known share count${unknown === 1 ? 's' : ''} as 0.` : '';
  return {
    value: Math.round(total * 1000) / 1000,
    normalised,
    reason: `The affected services serve ${percent(total)} of user traffic together; counts ${percent(normalised)} of its weight (fully from ${percent(full)}, policy saturation.trafficShare).${unknownText}`,
  };
}

function criticalPaths(services: readonly AffectedService[]): FactorDraft {
  const paths = (['payment', 'auth', 'integration'] as const).filter((path) => services.some((service) => service.criticalPaths.includes(path)));
  if (paths.length === 0) return { value: 'none', normalised: 0, reason: 'No affected service is on the auth, payment or integration path.' };
  const normalised = Math.max(...paths.map((path) => pathWeight[path]));
  const onPath = paths.map((path) => `${path} (${listNames(services.filter((service) => service.criticalPaths.includes(path)).map((service) => service.name))})`);
  return {
    value: paths.join(', '),
    normalised,
    reason: `Affected services are on the ${listNames(onPath)} path${paths.length > 1 ? 's' : ''}; auth and payment count fully, integration 50%.`,
  };
}

function transitiveDependents(services: readonly AffectedService[], policy: RiskPolicy): FactorDraft {
  // Summed per service: a dependent of two affected services counts twice, as it is exposed twice.
  const total = services.reduce((sum, service) => sum + Math.max(0, service.transitiveDependents), 0);
  const full = policy.saturation.transitiveDependents;
  const normalised = saturating(total, full);
  if (total === 0) return { value: 0, normalised: 0, reason: 'No other service depends on the affected services.' };
  return {
    value: total,
    normalised,
    reason: `${plural(total, 'service')} depend${total === 1 ? 's' : ''} on the affected services directly or transitively; ${countsAs(normalised, full, 'saturation.transitiveDependents')}.`,
  };
}

function internetFacing(services: readonly AffectedService[]): FactorDraft {
  const facing = services.filter((service) => service.internetFacing === true).map((service) => service.name);
  if (facing.length > 0) return { value: true, normalised: 1, reason: `${listNames(facing)} ${facing.length === 1 ? 'is' : 'are'} reachable from the internet: counts fully.` };
  const unknown = services.filter((service) => service.internetFacing === undefined).map((service) => service.name);
  if (unknown.length > 0) {
    // Unknown exposure is neither safe nor exposed: half, so that recording it either way changes the score.
    return { value: 'unknown', normalised: 0.5, reason: `Exposure of ${listNames(unknown)} is not recorded in the catalog: counts 50% until it is.` };
  }
  if (services.length === 0) return { value: false, normalised: 0, reason: 'No affected service, so nothing is exposed.' };
  return { value: false, normalised: 0, reason: 'No affected service is reachable from the internet.' };
}

function missionFactor(mission: MissionWellbeing): FactorDraft {
  const normalised = { low: 0, medium: 0.5, high: 1 }[mission.value];
  return {
    value: mission.value,
    normalised,
    reason: `SSVC mission and well-being impact is ${mission.value} (${mission.because}); counts low 0%, medium 50%, high 100%.`,
  };
}
