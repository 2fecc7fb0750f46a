import { formatMoney, formatNumber, type AvoidedCost } from '../economics/model.js';
import type { BaselineMetric } from '../sources.js';
import type { UpgradeReadout } from '../types.js';

/** The four sections of the seed's readout template, in order: the same headings in every format. */
export const sectionTitles = {
  whatChanged: 'What changed',
  whyNow: 'Why now',
  riskReduced: 'What risk reduced',
  businessMetrics: 'What business metric improved',
} as const;

export function upgradeTitle(r: UpgradeReadout): string {
  const moves = r.whatChanged.versions.map((v) => `${v.name} ${v.from.join(', ')} → ${v.to}`).join('; ');
  return `${moves} (${r.upgrade.id})`;
}

export function day(iso: string): string {
  return iso.slice(0, 10);
}

export function epssText(epss: { score: number; percentile: number } | undefined): string {
  return epss ? `${formatNumber(epss.score)} (percentile ${formatNumber(epss.percentile)})` : 'no score';
}

export function kevText(kev: { dateAdded: string; knownRansomware: boolean } | undefined): string {
  if (!kev) return 'not listed';
  return `listed since ${kev.dateAdded}${kev.knownRansomware ? ', used in ransomware campaigns' : ''}`;
}

export function endOfLifeText(eol: { date?: string; daysToEol?: number } | undefined): string | undefined {
  if (!eol || eol.date === undefined) return undefined;
  if (eol.daysToEol === undefined) return `end of support ${eol.date}`;
  return eol.daysToEol < 0 ? `end of support ${eol.date}, ${-eol.daysToEol} days past it at the assessment` : `end of support ${eol.date}, ${eol.daysToEol} days after the assessment`;
}

/** One line for the avoided-cost figure: the amount, or why there is none. */
export function costHeadline(cost: AvoidedCost): string {
  if (cost.status === 'known') return `${formatMoney(cost.amount, cost.currency)} expected over the next 30 days (${cost.formula})`;
  if (cost.status === 'not_applicable') return `not applicable: ${cost.reason}`;
  return `unknown: ${cost.missing.length} ${cost.missing.length === 1 ? 'input is' : 'inputs are'} missing`;
}

export function metricChange(m: BaselineMetric): string {
  const delta = m.after - m.before;
  const relative = m.before === 0 ? '' : ` (${delta >= 0 ? '+' : ''}${formatNumber(Math.round((delta / m.before) * 1000) / 10)}%)`;
  const better = delta === 0 ? 'unchanged' : (delta > 0) === m.higherIsBetter ? 'better' : 'worse';
  return `${delta >= 0 ? '+' : ''}${formatNumber(delta)} ${m.unit}${relative}, ${better}`;
}
