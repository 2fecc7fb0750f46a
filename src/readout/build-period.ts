import { upgradeReadout } from './build-upgrade.js';
import type { ReadoutContext } from './context.js';
import type { Period } from '../core/period.js';
import { upgradesChangedIn } from './store.js';
import type { PeriodReadout } from './types.js';

/** Upgrades that ended (done or rolled back) or reached verification within the period. */
const reportedStates = ['verifying', 'done', 'rolled_back'] as const;

/** The executive readout of a period: its upgrades' readouts and their totals. */
export async function periodReadout(context: ReadoutContext, period: Period): Promise<PeriodReadout> {
  const ids = await upgradesChangedIn(context.db, period.from, period.to, reportedStates);
  const upgrades = [];
  for (const id of ids) upgrades.push(await upgradeReadout(context, id));
  const missing: string[] = [];
  if (upgrades.length === 0) missing.push(`no upgrade reached verification, completion or rollback between ${period.from.slice(0, 10)} and ${period.to.slice(0, 10)}`);

  let riskPointsRemoved = 0;
  const riskUnknownFor: string[] = [];
  let known = 0;
  let amount = 0;
  const unknownFor: string[] = [];
  for (const r of upgrades) {
    if (r.upgrade.state === 'done') {
      const { before, after } = r.riskReduced;
      if (before && after) riskPointsRemoved += before.score - after.score;
      else riskUnknownFor.push(r.upgrade.id);
    }
    const cost = r.riskReduced.avoidedCost;
    if (r.upgrade.state !== 'done' || cost.status === 'not_applicable') continue;
    if (cost.status === 'known') {
      known++;
      amount += cost.amount;
    } else unknownFor.push(r.upgrade.id);
  }

  let dora;
  if (!context.sources.dora) missing.push('DORA trend: no DORA source is wired into the readout yet (verify/dora)');
  else dora = await context.sources.dora({ period: { from: period.from, to: period.to }, bucket: Date.parse(period.to) - Date.parse(period.from) <= 35 * 86_400_000 ? 'week' : 'month' });

  const done = upgrades.filter((r) => r.upgrade.state === 'done');
  return {
    kind: 'period',
    generatedAt: context.now.toISOString(),
    period,
    upgrades,
    totals: {
      done: done.length,
      rolledBack: upgrades.filter((r) => r.upgrade.state === 'rolled_back').length,
      advisoriesFixed: done.reduce((sum, r) => sum + r.whyNow.advisories.length, 0),
      kevFixed: done.reduce((sum, r) => sum + r.whyNow.advisories.filter((a) => a.kev).length, 0),
      riskPointsRemoved,
      riskUnknownFor,
      avoidedCost: { currency: context.economics.currency, known, ...(unknownFor.length === 0 && known > 0 ? { amount } : {}), unknownFor },
    },
    ...(dora ? { dora } : {}),
    missing,
  };
}
