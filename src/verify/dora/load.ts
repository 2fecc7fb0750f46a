import { UfError } from '../../core/errors.js';
import type { Db } from '../../store/db.js';
import type { Store } from '../../store/open.js';
import { computeDora } from './compute.js';
import { readDeployments, type Deployment } from './deployments.js';
import { resolvePeriod } from './period.js';
import type { DoraReport } from './types.js';

export interface DoraQuery {
  period?: string;
  from?: string;
  to?: string;
  service?: string;
  /** A team: the owner of services in the service map (`payments-team` or `group:default/payments-team`). */
  team?: string;
}

/** The five DORA figures for a period and scope, from the store's records. */
export async function doraReport(store: Store, query: DoraQuery): Promise<DoraReport> {
  const period = resolvePeriod(query, store.clock.now());
  const db = store.db;
  const deployments = await readDeployments(db);
  const services = await scopeServices(db, query);
  const incidents = (await db.selectFrom('incidents').select(['id', 'service', 'started_at', 'resolved_at', 'upgrade_id', 'change_ref']).execute()).map((r) => ({
    id: r.id,
    service: r.service,
    startedAt: r.started_at,
    resolvedAt: r.resolved_at,
    upgradeId: r.upgrade_id,
    changeRef: r.change_ref,
  }));
  const report = computeDora({
    period,
    deployments,
    incidents,
    upstreamPublishedAt: await upstreamDates(db, deployments),
    changeCreatedAt: new Map((await db.selectFrom('change_requests').select(['upgrade_id', 'created_at']).execute()).map((r) => [r.upgrade_id, r.created_at])),
    ...(services ? { services } : {}),
  });
  return { ...report, scope: { ...(query.service ? { service: query.service } : {}), ...(query.team ? { team: query.team } : {}), ...report.scope } };
}

async function scopeServices(db: Db, query: DoraQuery): Promise<Set<string> | undefined> {
  if (query.service !== undefined && query.team !== undefined) throw new UfError('usage', 'give --service or --team, not both', { path: 'team' });
  if (query.service !== undefined) return new Set([query.service]);
  if (query.team === undefined) return undefined;
  const team = query.team.toLowerCase();
  const refs = team.includes(':') ? [team] : [`group:default/${team}`, team];
  const rows = await db.selectFrom('catalog_entities').select('name').where('kind', '=', 'Component').where('owner', 'in', refs).execute();
  if (rows.length === 0) throw new UfError('not_found', `no service in the service map is owned by ${query.team}`, { path: 'team' });
  return new Set(rows.map((r) => r.name));
}

/**
 * When the release each upgrade installs was published upstream, as intake knows it: the earliest
 * `published` date of the advisories whose fix is exactly the upgrade's target version. Release
 * notes are parsed but not stored with their dates, so an upgrade without such an advisory has
 * no upstream date (its lead time then starts at its change record).
 */
async function upstreamDates(db: Db, deployments: readonly Deployment[]): Promise<Map<string, { at: string; source: string }>> {
  const result = new Map<string, { at: string; source: string }>();
  const ids = [...new Set(deployments.map((d) => d.upgradeId))];
  if (ids.length === 0) return result;
  const upgrades = await db.selectFrom('upgrades').select(['id', 'ecosystem', 'name', 'target_version']).where('id', 'in', ids).execute();
  for (const u of upgrades) {
    const rows = await db
      .selectFrom('findings')
      .innerJoin('advisories', 'advisories.id', 'findings.advisory_id')
      .select(['advisories.id as advisory', 'advisories.body'])
      .where('findings.ecosystem', '=', u.ecosystem)
      .where('findings.name', '=', u.name)
      .where('findings.fixed_in', '=', u.target_version)
      .execute();
    for (const row of rows) {
      const published = (JSON.parse(row.body) as { published?: string }).published;
      if (!published || Number.isNaN(Date.parse(published))) continue;
      const at = new Date(Date.parse(published)).toISOString();
      const current = result.get(u.id);
      if (!current || at < current.at) result.set(u.id, { at, source: `advisory ${row.advisory}` });
    }
  }
  return result;
}
