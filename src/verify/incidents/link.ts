import { formatDuration } from '../../core/duration.js';
import type { Deployment } from '../dora/deployments.js';
import type { IncidentInput, IncidentLink } from './types.js';

export interface LinkContext {
  deployments: readonly Deployment[];
  windowMs: number;
  /** The services the incident's service depends on (service map `dependsOn`); empty to link by its own service only. */
  dependencies: readonly string[];
  /** The upgrade an explicit reference names (an upgrade id, or a change record's upgrade); undefined when it names none. */
  explicitUpgrade: string | undefined;
}

/**
 * Which upgrade an incident belongs to. An explicit reference wins. Otherwise the latest
 * deployment on the incident's service whose production traffic started at most `windowMs`
 * before the incident (and not after it); failing that, the same on a service it depends on.
 */
export function linkIncident(incident: IncidentInput, ctx: LinkContext): { link: IncidentLink | null; unlinkedReason: string | null } {
  if (incident.changeRef !== null) {
    if (ctx.explicitUpgrade !== undefined) return { link: { upgradeId: ctx.explicitUpgrade, kind: 'explicit', reason: `the incident names ${incident.changeRef}` }, unlinkedReason: null };
  }
  const refNote = incident.changeRef !== null ? `its reference ${incident.changeRef} names no upgrade or change; ` : '';
  if (incident.service === null) return { link: null, unlinkedReason: `${refNote}it names no service` };
  const direct = latestBefore(incident, ctx, [incident.service]);
  if (direct) return { link: { upgradeId: direct.upgradeId, kind: 'service-window', reason: windowReason(incident, direct, incident.service, ctx.windowMs) }, unlinkedReason: null };
  const viaDependency = ctx.dependencies.length > 0 ? latestBefore(incident, ctx, ctx.dependencies) : undefined;
  if (viaDependency) {
    const on = viaDependency.services.find((s) => ctx.dependencies.includes(s))!;
    return { link: { upgradeId: viaDependency.upgradeId, kind: 'dependency-window', reason: `${windowReason(incident, viaDependency, on, ctx.windowMs)}, a service ${incident.service} depends on` }, unlinkedReason: null };
  }
  return { link: null, unlinkedReason: `${refNote}no deployment on ${incident.service}${ctx.dependencies.length ? ' or its dependencies' : ''} started within ${formatDuration(ctx.windowMs)} before it` };
}

function latestBefore(incident: IncidentInput, ctx: LinkContext, services: readonly string[]): Deployment | undefined {
  const at = Date.parse(incident.startedAt);
  let best: Deployment | undefined;
  for (const d of ctx.deployments) {
    const started = Date.parse(d.startedAt);
    if (started > at || at - started > ctx.windowMs) continue;
    if (!d.services.some((s) => services.includes(s))) continue;
    if (!best || started > Date.parse(best.startedAt)) best = d;
  }
  return best;
}

function windowReason(incident: IncidentInput, d: Deployment, service: string, windowMs: number): string {
  const after = formatDuration(Date.parse(incident.startedAt) - Date.parse(d.startedAt));
  return `started ${after} after deployment ${d.id} (${d.component} ${d.targetVersion}) reached ${service}, within the ${formatDuration(windowMs)} link window`;
}
