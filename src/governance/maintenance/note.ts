import type { MaintenanceConfig, ServiceSla } from '../../config/sections/notifications.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { UfError } from '../../core/errors.js';
import type { Db } from '../../store/db.js';
import { findService } from '../../store/repos/catalog.js';
import { getChange, listChanges } from '../changes/store.js';
import type { ChangeRecord } from '../changes/types.js';

/** What a customer reads about one service in a maintenance: its name and the SLA impact. */
export interface AffectedService {
  service: string;
  displayName: string;
  /** One sentence on the SLA, or null when no SLA is configured for the service. */
  slaImpact: string | null;
}

/** One maintenance: a change on customer-facing services, as a status page shows it. */
export interface MaintenanceNote {
  changeId: string;
  upgradeId: string;
  title: string;
  plannedStart: string;
  plannedEnd: string;
  /** The planned window, e.g. `2h`. */
  window: string;
  /** Worst case: the change's backout time, during which the new version may misbehave before it is rolled back. */
  worstCase: string;
  services: AffectedService[];
  updated: string;
}

/**
 * The customer-facing services of a change: listed in `maintenance.services` with
 * `customerFacing: true`, or marked internet-exposed in the catalog while
 * `internetExposedIsCustomerFacing` holds. A listed `customerFacing: false` wins over the catalog.
 */
export async function customerFacingServices(db: Db, config: MaintenanceConfig, services: readonly string[]): Promise<string[]> {
  const facing: string[] = [];
  for (const service of services) {
    const listed = config.services[service];
    if (listed) {
      if (listed.customerFacing) facing.push(service);
      continue;
    }
    if (config.internetExposedIsCustomerFacing && (await findService(db, service))?.factory.internetExposed === true) facing.push(service);
  }
  return facing;
}

/** The SLA sentence: the window and the worst case against the period's downtime budget. */
export function slaImpact(sla: ServiceSla, windowMs: number, worstCaseMs: number): string {
  const budgetMs = ((100 - sla.availability) / 100) * parseDuration(sla.period)!;
  const share = (ms: number) => `${Math.round((ms / budgetMs) * 1000) / 10}%`;
  const base = `SLA ${sla.availability}% over ${sla.period} allows ${formatDuration(Math.round(budgetMs))} of downtime.`;
  if (sla.excludesAnnouncedMaintenance) return `${base} Announced maintenance is excluded from it: no SLA impact is expected.`;
  return `${base} No downtime is planned; the worst case (${formatDuration(worstCaseMs)} until a rollback completes) would use ${share(worstCaseMs)} of it, the whole window (${formatDuration(windowMs)}) ${share(windowMs)}.`;
}

/** The note of one change (by change or upgrade id); null when it touches no customer-facing service. */
export async function maintenanceNoteOf(db: Db, config: MaintenanceConfig, change: ChangeRecord): Promise<MaintenanceNote | null> {
  const services = await customerFacingServices(db, config, change.fields.affectedServices.length > 0 ? change.fields.affectedServices : change.fields.services);
  if (services.length === 0) return null;
  const windowMs = Math.max(0, Date.parse(change.plannedEnd) - Date.parse(change.plannedStart));
  const worstCaseMs = parseDuration(change.fields.backoutTime) ?? 0;
  const names = services.map((s) => config.services[s]?.displayName ?? s);
  return {
    changeId: change.id,
    upgradeId: change.upgradeId,
    title: `Planned maintenance: ${names.join(', ')}`,
    plannedStart: change.plannedStart,
    plannedEnd: change.plannedEnd,
    window: formatDuration(windowMs),
    worstCase: formatDuration(worstCaseMs),
    services: services.map((service, i) => {
      const sla = config.services[service]?.sla;
      return { service, displayName: names[i]!, slaImpact: sla ? slaImpact(sla, windowMs, worstCaseMs) : null };
    }),
    updated: change.updatedAt,
  };
}

/** The note of an upgrade's change; refused when there is no change record or no customer-facing service. */
export async function maintenanceNote(db: Db, config: MaintenanceConfig, upgradeOrChangeId: string): Promise<MaintenanceNote> {
  const change = await getChange(db, upgradeOrChangeId);
  if (!change) throw new UfError('not_found', `no change record for ${upgradeOrChangeId}: an upgrade gets one when it enters compat`, { record: upgradeOrChangeId });
  const note = await maintenanceNoteOf(db, config, change);
  if (!note) throw new UfError('not_found', `change ${change.id} touches no customer-facing service (maintenance.services, or internet-exposed catalog entities): there is nothing to announce`, { record: upgradeOrChangeId });
  return note;
}

/** Notes of the changes ending after `since` (upcoming, running and recent), earliest first. */
export async function maintenanceNotes(db: Db, config: MaintenanceConfig, since: string): Promise<MaintenanceNote[]> {
  const notes: MaintenanceNote[] = [];
  for (const change of await listChanges(db, { from: since })) {
    if (change.status === 'rejected' || change.status === 'canceled') continue;
    const note = await maintenanceNoteOf(db, config, change);
    if (note) notes.push(note);
  }
  return notes;
}
