import type { Db, Tx } from '../../store/db.js';
import type { Database } from '../../store/schema.js';
import type { Incident, LinkKind, Severity } from './types.js';

/** `<source>:<external id>`: the same incident from the same source is one record. */
export function incidentId(source: string, externalId: string): string {
  return `${source}:${externalId}`;
}

export async function getIncident(db: Db | Tx, id: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Inserts the incident, or replaces the stored one with the same id (its first receipt time kept). */
export async function upsertIncident(tx: Tx, incident: Incident): Promise<'created' | 'updated'> {
  const row = toRow(incident);
  const existing = await tx.selectFrom('incidents').select('received_at').where('id', '=', incident.id).executeTakeFirst();
  if (!existing) {
    await tx.insertInto('incidents').values(row).execute();
    return 'created';
  }
  const { id: _id, received_at: _received, ...rest } = row;
  await tx.updateTable('incidents').set(rest).where('id', '=', incident.id).execute();
  return 'updated';
}

export interface IncidentFilter {
  service?: string;
  upgradeId?: string;
  /** Incidents that started in [from, to). */
  from?: string;
  to?: string;
  limit?: number;
}

/** Incidents by start time, oldest first. */
export async function listIncidents(db: Db, filter: IncidentFilter = {}): Promise<Incident[]> {
  let query = db.selectFrom('incidents').selectAll().orderBy('started_at').orderBy('id');
  if (filter.service !== undefined) query = query.where('service', '=', filter.service);
  if (filter.upgradeId !== undefined) query = query.where('upgrade_id', '=', filter.upgradeId);
  if (filter.from !== undefined) query = query.where('started_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('started_at', '<', filter.to);
  return (await query.limit(filter.limit ?? 10_000).execute()).map(fromRow);
}

function toRow(i: Incident): Database['incidents'] {
  return {
    id: i.id,
    source: i.source,
    external_id: i.externalId,
    title: i.title,
    service: i.service,
    service_known: i.serviceKnown ? 1 : 0,
    severity: i.severity,
    started_at: i.startedAt,
    resolved_at: i.resolvedAt,
    change_ref: i.changeRef,
    upgrade_id: i.link?.upgradeId ?? null,
    link_kind: i.link?.kind ?? null,
    link_reason: i.link?.reason ?? i.unlinkedReason,
    received_at: i.receivedAt,
    updated_at: i.updatedAt,
  };
}

function fromRow(r: Database['incidents']): Incident {
  return {
    id: r.id,
    source: r.source,
    externalId: r.external_id,
    title: r.title,
    service: r.service,
    serviceKnown: r.service_known === 1,
    severity: r.severity as Severity,
    startedAt: r.started_at,
    resolvedAt: r.resolved_at,
    changeRef: r.change_ref,
    link: r.upgrade_id !== null && r.link_kind !== null ? { upgradeId: r.upgrade_id, kind: r.link_kind as LinkKind, reason: r.link_reason ?? '' } : null,
    unlinkedReason: r.upgrade_id === null ? r.link_reason : null,
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
  };
}
