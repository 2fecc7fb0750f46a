import type { EconomicsPolicy, OutageSeverity } from '../../config/sections/economics.js';

/**
 * The avoided-downtime model (README, "Economics"), pure:
 *
 *   avoided cost = max over fixed advisories (likelihood × expected outage hours of its severity)
 *                  × Σ cost per hour of the blast radius (affected services and their dependents)
 *
 * - likelihood: the advisory's FIRST EPSS probability of exploitation activity in the next 30 days;
 *   a KEV-listed advisory counts at least `economics.kevLikelihoodFloor`. The figure is therefore
 *   the cost expected over the next 30 days had the upgrade not been made.
 * - the worst advisory, not the sum: several advisories in one component rarely cause several
 *   separate outages, and the model claims no more than the worst one.
 * - every service in the blast radius counts fully: a dependent is down while what it depends on is.
 * - a missing input (no EPSS score and no KEV listing, no severity, a service without a cost) makes
 *   the figure unknown and names what is missing; nothing is filled in by a default.
 */
export interface Sourced<T> {
  value: T;
  /** Where the value comes from, e.g. `FIRST EPSS 2026-11-30`, `catalog annotation on service checkout`. */
  source: string;
}

export interface AdvisoryInput {
  /** `GHSA-… (CVE-…)`. */
  label: string;
  severity?: Sourced<OutageSeverity>;
  /** Why the severity is unknown, when it is. */
  severityMissing?: string;
  epss?: Sourced<number>;
  /** KEV listing: the date it was added. */
  kev?: Sourced<string>;
  /** False when no EPSS data was loaded at all (then the missing score says so). */
  epssLoaded: boolean;
}

export interface BlastRadiusService {
  name: string;
  /** `affected` runs the component; `dependent` depends on one that does (via `via`). */
  role: 'affected' | 'dependent';
  via?: string;
  costPerHour?: Sourced<number>;
  trafficShare?: Sourced<number>;
  /** Set when the service is not in the catalog at all. */
  notInCatalog?: boolean;
}

export interface EconomicsInput {
  advisories: AdvisoryInput[];
  services: BlastRadiusService[];
  policy: EconomicsPolicy;
  /** Names the configuration the policy came from, e.g. `factory.yaml`. */
  policySource: string;
}

/** One input as a reader sees it: what, its value, where it came from. */
export interface ShownInput {
  name: string;
  value: string;
  source: string;
}

export type AvoidedCost =
  | { status: 'known'; amount: number; currency: string; formula: string; inputs: ShownInput[] }
  | { status: 'unknown'; currency: string; missing: string[]; inputs: ShownInput[] }
  | { status: 'not_applicable'; currency: string; reason: string; inputs: ShownInput[] };

export function avoidedCost(input: EconomicsInput): AvoidedCost {
  const { policy } = input;
  const currency = policy.currency;
  if (input.advisories.length === 0) {
    return { status: 'not_applicable', currency, reason: 'the upgrade fixes no known advisory; the model counts only downtime caused by exploitation', inputs: [] };
  }
  const inputs: ShownInput[] = [];
  const missing: string[] = [];

  let worst: { label: string; expectedHours: number; likelihood: number; hours: number } | undefined;
  for (const advisory of input.advisories) {
    const likelihood = likelihoodOf(advisory, policy, input.policySource, inputs, missing);
    const hours = outageHoursOf(advisory, policy, input.policySource, inputs, missing);
    if (likelihood === undefined || hours === undefined) continue;
    const expectedHours = likelihood * hours;
    if (!worst || expectedHours > worst.expectedHours) worst = { label: advisory.label, expectedHours, likelihood, hours };
  }

  let costPerHour = 0;
  for (const service of input.services) {
    const cost = serviceCost(service, policy, input.policySource, inputs, missing);
    if (cost !== undefined) costPerHour += cost;
  }
  if (input.services.length === 0) missing.push('the services the upgrade affects (the upgrade lists none)');

  if (missing.length > 0 || !worst) return { status: 'unknown', currency, missing, inputs };
  const amount = worst.expectedHours * costPerHour;
  const formula =
    `${formatNumber(worst.likelihood)} likelihood × ${formatNumber(worst.hours)} h expected outage (${worst.label}, the worst advisory) ` +
    `× ${formatMoney(costPerHour, currency)}/h (${input.services.length} ${input.services.length === 1 ? 'service' : 'services'} in the blast radius) = ${formatMoney(amount, currency)}`;
  return { status: 'known', amount, currency, formula, inputs };
}

function likelihoodOf(advisory: AdvisoryInput, policy: EconomicsPolicy, policySource: string, inputs: ShownInput[], missing: string[]): number | undefined {
  if (advisory.epss) inputs.push({ name: `EPSS of ${advisory.label}`, value: formatNumber(advisory.epss.value), source: advisory.epss.source });
  if (advisory.kev) {
    inputs.push({ name: `KEV listing of ${advisory.label}`, value: `listed since ${advisory.kev.value}`, source: advisory.kev.source });
    inputs.push({ name: 'KEV likelihood floor', value: formatNumber(policy.kevLikelihoodFloor), source: `${policySource} economics.kevLikelihoodFloor` });
    return Math.max(advisory.epss?.value ?? 0, policy.kevLikelihoodFloor);
  }
  if (advisory.epss) return advisory.epss.value;
  missing.push(
    advisory.epssLoaded
      ? `exploit likelihood of ${advisory.label}: no FIRST EPSS score is stored for it and CISA KEV does not list it`
      : `exploit likelihood of ${advisory.label}: no EPSS data is loaded (intake.epss) and CISA KEV does not list it`,
  );
  return undefined;
}

function outageHoursOf(advisory: AdvisoryInput, policy: EconomicsPolicy, policySource: string, inputs: ShownInput[], missing: string[]): number | undefined {
  if (!advisory.severity) {
    missing.push(`severity of ${advisory.label}: ${advisory.severityMissing ?? 'unknown'}`);
    return undefined;
  }
  const severity = advisory.severity.value;
  const hours = policy.outageHours[severity];
  inputs.push({ name: `severity of ${advisory.label}`, value: severity, source: advisory.severity.source });
  inputs.push({ name: `expected outage hours (${severity})`, value: `${formatNumber(hours)} h`, source: `${policySource} economics.outageHours.${severity}` });
  return hours;
}

function serviceCost(service: BlastRadiusService, policy: EconomicsPolicy, policySource: string, inputs: ShownInput[], missing: string[]): number | undefined {
  const role = service.role === 'affected' ? 'affected service' : `dependent of ${service.via ?? 'an affected service'}`;
  if (service.costPerHour) {
    inputs.push({ name: `downtime cost/hour of ${service.name} (${role})`, value: formatMoney(service.costPerHour.value, policy.currency), source: service.costPerHour.source });
    return service.costPerHour.value;
  }
  if (policy.organisationCostPerHour !== undefined && service.trafficShare) {
    const cost = policy.organisationCostPerHour * service.trafficShare.value;
    inputs.push({ name: 'organisation downtime cost/hour', value: formatMoney(policy.organisationCostPerHour, policy.currency), source: `${policySource} economics.organisationCostPerHour` });
    inputs.push({ name: `traffic share of ${service.name} (${role})`, value: formatNumber(service.trafficShare.value), source: service.trafficShare.source });
    return cost;
  }
  const where = service.notInCatalog ? 'it is not in the catalog' : 'no upgrade-factory.io/downtime-cost-per-hour annotation';
  const fallback =
    policy.organisationCostPerHour === undefined
      ? ' and no economics.organisationCostPerHour to share by traffic'
      : ' and no upgrade-factory.io/traffic-share annotation to share economics.organisationCostPerHour by';
  missing.push(`downtime cost per hour of ${service.name} (${role}): ${where}${service.notInCatalog ? '' : fallback}`);
  return undefined;
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const moneyFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** `12,000 EUR`: whole units, the model's inputs are not more precise than that. */
export function formatMoney(amount: number, currency: string): string {
  return `${moneyFormat.format(amount)} ${currency}`;
}
