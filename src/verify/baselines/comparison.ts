import type { Db } from '../../store/db.js';
import { summariesOfUpgrade } from './store.js';
import type { BaselineSummary } from './types.js';

/** An upgrade's before/after comparison: its latest rollout's figures per metric, or none yet. */
export interface BaselineComparison {
  upgradeId: string;
  rolloutId: string | null;
  metrics: BaselineSummary[];
}

/**
 * The before/after figures of an upgrade for the readout: each metric's latest comparison in the
 * upgrade's most recently judged rollout (median, p95, mean and counts on both sides, the judge's
 * classification and reason). Empty when no verification compared anything yet.
 */
export async function baselineComparison(db: Db, upgradeId: string): Promise<BaselineComparison> {
  const all = await summariesOfUpgrade(db, upgradeId);
  const rolloutId = all[0]?.rolloutId ?? null;
  const metrics = all.filter((s) => s.rolloutId === rolloutId).sort((a, b) => a.metric.localeCompare(b.metric));
  return { upgradeId, rolloutId, metrics };
}
