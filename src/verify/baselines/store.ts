import type { Db } from '../../store/db.js';
import type { MeasurementResult, MetricWindow } from '../../rollout/analysis/types.js';
import type { BaselineSummary } from './types.js';

/** The baselines' rows (migration 017): samples per metric and slice, and the latest comparison per metric. */

export interface StoredSample {
  actionId: string;
  phase: 'before' | 'after';
  metric: string;
  window: MetricWindow;
  result: MeasurementResult;
}

export interface SampleOwner {
  rolloutId: string;
  upgradeId: string;
  service: string;
}

/** Stores measurements; one already stored for the same action and metric (a re-run after a crash) stays. */
export async function storeSamples(db: Db, owner: SampleOwner, samples: readonly StoredSample[], now: Date): Promise<void> {
  if (samples.length === 0) return;
  await db
    .insertInto('baseline_samples')
    .values(
      samples.map((s) => ({
        id: `${s.actionId}/${s.metric}`,
        rollout_id: owner.rolloutId,
        upgrade_id: owner.upgradeId,
        service: owner.service,
        action_id: s.actionId,
        phase: s.phase,
        metric: s.metric,
        window_start: s.window.start,
        window_end: s.window.end,
        measurement: JSON.stringify(s.result),
        created_at: now.toISOString(),
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** A rollout's samples of one phase, oldest first; `since`: only slices starting then or later. */
export async function samplesOf(db: Db, rolloutId: string, phase: 'before' | 'after', since?: string): Promise<StoredSample[]> {
  let query = db.selectFrom('baseline_samples').selectAll().where('rollout_id', '=', rolloutId).where('phase', '=', phase);
  if (since !== undefined) query = query.where('window_start', '>=', since);
  const rows = await query.orderBy('window_start').orderBy('id').execute();
  return rows.map((r) => ({ actionId: r.action_id, phase: r.phase, metric: r.metric, window: { start: r.window_start, end: r.window_end }, result: JSON.parse(r.measurement) as MeasurementResult }));
}

/** Replaces each metric's latest comparison in its rollout. */
export async function storeSummaries(db: Db, summaries: readonly BaselineSummary[]): Promise<void> {
  for (const s of summaries) {
    const row = { rollout_id: s.rolloutId, upgrade_id: s.upgradeId, service: s.service, metric: s.metric, summary: JSON.stringify(s), judged_at: s.judgedAt };
    await db
      .insertInto('baseline_summaries')
      .values({ id: `${s.rolloutId}/${s.metric}`, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
}

/** Every stored comparison of an upgrade's rollouts, latest judged first. */
export async function summariesOfUpgrade(db: Db, upgradeId: string): Promise<BaselineSummary[]> {
  const rows = await db.selectFrom('baseline_summaries').select(['summary']).where('upgrade_id', '=', upgradeId).orderBy('judged_at', 'desc').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.summary) as BaselineSummary);
}
