import { parseDuration } from '../../core/duration.js';
import type { IncidentsSettings } from '../../config/sections/incidents.js';
import { findService } from '../../store/repos/catalog.js';
import { appendLog } from '../../store/repos/operation-log.js';
import type { Store } from '../../store/open.js';
import type { Db } from '../../store/db.js';
import { readDeployments, type Deployment } from '../dora/deployments.js';
import { linkIncident } from './link.js';
import { getIncident, incidentId, upsertIncident } from './store.js';
import type { Incident, IncidentInput } from './types.js';
import type { WebhookEvent } from './webhook.js';

export interface IncidentDeps {
  store: Store;
  settings: IncidentsSettings;
}

export interface RecordedIncident {
  incident: Incident;
  outcome: 'created' | 'updated';
}

/**
 * Stores incidents (an import batch or one webhook delivery) in one transaction: each is mapped
 * to its catalog service, linked to a change, upserted by `<source>:<id>` and logged. Re-sending
 * the same incident updates it (a resolve time arrives later) and never duplicates it.
 */
export async function recordIncidents(deps: IncidentDeps, inputs: readonly IncidentInput[], actor: string): Promise<RecordedIncident[]> {
  const now = deps.store.clock.now();
  const deployments = await readDeployments(deps.store.db);
  const prepared: Incident[] = [];
  for (const input of inputs) prepared.push(await prepare(deps, input, deployments, now.toISOString()));
  return deps.store.db.transaction().execute(async (tx) => {
    const recorded: RecordedIncident[] = [];
    for (const incident of prepared) {
      const outcome = await upsertIncident(tx, incident);
      recorded.push({ incident, outcome });
    }
    await appendLog(
      tx,
      recorded.map(({ incident, outcome }) => ({
        actor,
        action: outcome === 'created' ? 'incident.record' : 'incident.update',
        subject: incident.id,
        reason: `${incident.severity} ${incident.service ?? 'no service'}${incident.serviceKnown || incident.service === null ? '' : ' (not in the catalog)'}: ${incident.title}; ${incident.link ? `linked to ${incident.link.upgradeId} (${incident.link.kind})` : 'not linked'}${incident.resolvedAt ? `; resolved ${incident.resolvedAt}` : ''}`,
        evidenceRef: incident.link?.upgradeId ?? null,
      })),
      now,
    );
    return recorded;
  });
}

/**
 * A webhook delivery: an open event records (or refreshes) the incident; a resolve event sets the
 * resolve time of the stored one, keeping what the open event said (a close payload carries less).
 */
export async function receiveWebhook(deps: IncidentDeps, event: WebhookEvent, actor: string): Promise<{ outcome: 'created' | 'updated' | 'ignored'; incident?: Incident; reason?: string }> {
  if (event.kind === 'ignored') return { outcome: 'ignored', reason: event.reason };
  let input = event.incident;
  if (event.kind === 'resolve') {
    const stored = await getIncident(deps.store.db, incidentId(input.source, input.externalId));
    if (stored) input = { ...storedInput(stored), resolvedAt: input.resolvedAt };
  }
  const [recorded] = await recordIncidents(deps, [input], actor);
  return { outcome: recorded!.outcome, incident: recorded!.incident };
}

function storedInput(i: Incident): IncidentInput {
  return { source: i.source, externalId: i.externalId, title: i.title, service: i.service, severity: i.severity, startedAt: i.startedAt, resolvedAt: i.resolvedAt, changeRef: i.changeRef };
}

async function prepare(deps: IncidentDeps, input: IncidentInput, deployments: readonly Deployment[], now: string): Promise<Incident> {
  const db = deps.store.db;
  const entity = input.service !== null ? await findService(db, input.service) : undefined;
  const service = entity?.name ?? input.service;
  const normalised = { ...input, service };
  const dependencies = deps.settings.linkDependencies && entity ? await dependencyNames(db, entity.dependsOn) : [];
  const explicitUpgrade = input.changeRef !== null ? await upgradeNamed(db, input.changeRef) : undefined;
  const windowMs = parseDuration(deps.settings.linkWindow) ?? 86_400_000;
  const { link, unlinkedReason } = linkIncident(normalised, { deployments, windowMs, dependencies, explicitUpgrade });
  const existing = await getIncident(db, incidentId(input.source, input.externalId));
  return {
    ...normalised,
    id: incidentId(input.source, input.externalId),
    serviceKnown: entity !== undefined,
    link,
    unlinkedReason,
    receivedAt: existing?.receivedAt ?? now,
    updatedAt: now,
  };
}

/** An upgrade id, a deployment id (`<upgrade>#<attempt>`) or a change record id, as the upgrade it names. */
async function upgradeNamed(db: Db, ref: string): Promise<string | undefined> {
  const id = ref.replace(/#\d+$/, '');
  const upgrade = await db.selectFrom('upgrades').select('id').where('id', '=', id).executeTakeFirst();
  if (upgrade) return upgrade.id;
  const change = await db.selectFrom('change_requests').select('upgrade_id').where('id', '=', id).executeTakeFirst();
  return change?.upgrade_id;
}

async function dependencyNames(db: Db, refs: readonly string[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const rows = await db.selectFrom('catalog_entities').select('name').where('ref', 'in', refs.map((r) => r.toLowerCase())).where('kind', '=', 'Component').execute();
  return rows.map((r) => r.name);
}
