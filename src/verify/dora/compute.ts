import { deployedAt, type Deployment } from './deployments.js';
import { inPeriod } from './period.js';
import type { DoraIncident, DoraInput, DoraRecord, DoraReport, DurationSample, MedianFigure } from './types.js';

const hourMs = 3_600_000;

/**
 * DORA's five software delivery metrics over the factory's own records (pure). A deployment is a
 * rollout attempt that put a version in production and ended in the period: it reached 100% or
 * was rolled back on the way (a canary is production traffic, so a rollback is a failed deployment,
 * never a non-event). See the README's "DORA metrics" for each definition and its source.
 */
export function computeDora(input: DoraInput): DoraReport {
  const scoped = input.deployments.filter((d) => !input.services || d.services.some((s) => input.services!.has(s)));
  const deployments = scoped.filter((d) => inPeriod(deployedAt(d), input.period));
  const ofDeployment = incidentsByDeployment(input.deployments, input.incidents);

  const frequency = {
    deployments: deployments.length,
    days: input.period.days,
    perDay: deployments.length / input.period.days,
    perWeek: (deployments.length * 7) / input.period.days,
    numerator: deployments.length,
    denominator: input.period.days,
    reachedFullTraffic: deployments.filter((d) => d.reachedFullAt !== null).length,
    records: deployments.map((d) => record(d, d.reachedFullAt ? `reached 100% at ${d.reachedFullAt}` : `rolled back at ${d.rolledBackAt}`)),
  };

  const done = deployments.filter((d) => d.doneAt !== null);
  const upstream = median(done.flatMap((d) => {
    const start = input.upstreamPublishedAt.get(d.upgradeId);
    return start ? [sample(d, start.at, d.doneAt!, `release published upstream (${start.source}) → done`)] : [];
  }), done.length);
  const changeCreated = median(done.map((d) => {
    const created = input.changeCreatedAt.get(d.upgradeId);
    return sample(d, created ?? d.upgradeCreatedAt, d.doneAt!, created ? 'change record created → done' : 'upgrade created (no change record) → done');
  }), done.length);
  const headline = done.length === 0 ? null : upstream.numerator === done.length ? 'upstream' : 'change-created';

  const failures = deployments.flatMap((d) => {
    const reasons: string[] = [];
    if (d.rolledBackAt) reasons.push(/\babort/i.test(d.rollback?.reason ?? '') ? `aborted by ${d.rollback!.actor} at ${d.rolledBackAt}` : `rolled back at ${d.rolledBackAt} by ${d.rollback?.actor ?? 'unknown'}`);
    const caused = (ofDeployment.get(d.id) ?? []).filter((i) => i.startedAt >= d.startedAt);
    for (const i of caused) reasons.push(`incident ${i.id} at ${i.startedAt}`);
    return reasons.length ? [{ d, caused, reasons }] : [];
  });

  const recovered: DurationSample[] = [];
  const unrecovered: DoraRecord[] = [];
  for (const { d, caused } of failures) {
    // The failure begins when its first incident began, or (rolled back without an incident) when
    // the traffic step it failed at began; it ends at the first recovery: the rollback or a resolve.
    const failedAt = caused.length ? caused.map((i) => i.startedAt).sort()[0]! : d.lastStepAt;
    const ends = [...(d.rolledBackAt && d.rolledBackAt >= failedAt ? [{ at: d.rolledBackAt, how: 'rollback completed' }] : []), ...caused.filter((i) => i.resolvedAt).map((i) => ({ at: i.resolvedAt!, how: `incident ${i.id} resolved` }))].sort((a, b) => a.at.localeCompare(b.at));
    const end = ends[0];
    if (end) recovered.push(sample(d, failedAt, end.at, `failed at ${failedAt}, recovered: ${end.how}`));
    else unrecovered.push(record(d, `failed at ${failedAt}; not recovered yet`));
  }

  const rework = deployments.flatMap((d) => {
    if (d.changeClass !== 'emergency') return [];
    const cause = input.incidents.find((i) => causedBy(i, d));
    return cause ? [record(d, `emergency change for incident ${cause.id} (started ${cause.startedAt})`)] : [];
  });

  return {
    period: input.period,
    scope: input.services ? { services: [...input.services].sort() } : {},
    deploymentFrequency: frequency,
    changeLeadTime: { headline, medianHours: headline === 'upstream' ? upstream.medianHours : headline === null ? null : changeCreated.medianHours, fromUpstream: upstream, fromChangeCreated: changeCreated },
    changeFailRate: ratio(failures.map(({ d, reasons }) => record(d, reasons.join('; '))), deployments.length),
    failedDeploymentRecoveryTime: { ...median(recovered, failures.length), unrecovered },
    deploymentReworkRate: ratio(rework, deployments.length),
  };
}

/** The incident an emergency deployment answered: open on one of its services when the upgrade was made, or naming it while already under way. */
function causedBy(i: DoraIncident, d: Deployment): boolean {
  if (i.startedAt > d.startedAt) return false;
  const names = i.changeRef !== null && i.changeRef.replace(/#\d+$/, '') === d.upgradeId;
  const openOnService = i.service !== null && d.services.includes(i.service) && i.startedAt <= d.upgradeCreatedAt && (i.resolvedAt === null || i.resolvedAt >= d.upgradeCreatedAt);
  return names || openOnService;
}

/** Incidents linked to an upgrade, each given to the attempt it started during (the latest that started before it). */
function incidentsByDeployment(deployments: readonly Deployment[], incidents: readonly DoraIncident[]): Map<string, DoraIncident[]> {
  const result = new Map<string, DoraIncident[]>();
  for (const i of incidents) {
    if (i.upgradeId === null) continue;
    const attempts = deployments.filter((d) => d.upgradeId === i.upgradeId && d.startedAt <= i.startedAt);
    const d = attempts.at(-1);
    if (d) result.set(d.id, [...(result.get(d.id) ?? []), i]);
  }
  return result;
}

function record(d: Deployment, detail: string): DoraRecord {
  return { deployment: d.id, upgradeId: d.upgradeId, at: deployedAt(d) ?? d.startedAt, detail };
}

function sample(d: Deployment, from: string, to: string, detail: string): DurationSample {
  return { deployment: d.id, upgradeId: d.upgradeId, from, to, hours: (Date.parse(to) - Date.parse(from)) / hourMs, detail };
}

function ratio(records: DoraRecord[], denominator: number) {
  return { value: denominator === 0 ? null : records.length / denominator, numerator: records.length, denominator, records };
}

function median(samples: DurationSample[], denominator: number): MedianFigure {
  const hours = samples.map((s) => s.hours).sort((a, b) => a - b);
  const mid = Math.floor(hours.length / 2);
  const medianHours = hours.length === 0 ? null : hours.length % 2 ? hours[mid]! : (hours[mid - 1]! + hours[mid]!) / 2;
  return { medianHours, numerator: samples.length, denominator, samples };
}
