import type { AvoidedCost, BaselineMetric, UpgradeReadout } from './types';

/** The same words as the server's Markdown and HTML readouts (src/readout/render/text.ts). */
export const sectionTitles = {
  whatChanged: 'What changed',
  whyNow: 'Why now',
  riskReduced: 'What risk reduced',
  businessMetrics: 'What business metric improved',
  economics: 'Economics',
} as const;

export const day = (iso: string) => iso.slice(0, 10);

export function number(n: number): string {
  return new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(n);
}

export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${number(amount)} ${currency}`;
  }
}

export function upgradeTitle(r: UpgradeReadout): string {
  return r.whatChanged.versions.map((v) => `${v.name} ${v.from.join(', ')} → ${v.to}`).join('; ');
}

export function epssText(epss: { score: number; percentile: number } | undefined): string {
  return epss ? `${number(epss.score)} (percentile ${number(epss.percentile)})` : 'no score';
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

export function costHeadline(cost: AvoidedCost): string {
  if (cost.status === 'known') return `${money(cost.amount, cost.currency)} expected over the next 30 days (${cost.formula})`;
  if (cost.status === 'not_applicable') return `not applicable: ${cost.reason}`;
  return `unknown: ${cost.missing.length} ${cost.missing.length === 1 ? 'input is' : 'inputs are'} missing`;
}

export function metricChange(m: BaselineMetric): { text: string; tone: 'good' | 'bad' | '' } {
  const delta = m.after - m.before;
  const relative = m.before === 0 ? '' : ` (${delta >= 0 ? '+' : ''}${number(Math.round((delta / m.before) * 1000) / 10)}%)`;
  const better = delta === 0 ? 'unchanged' : (delta > 0) === m.higherIsBetter ? 'better' : 'worse';
  return { text: `${delta >= 0 ? '+' : ''}${number(delta)} ${m.unit}${relative}, ${better}`, tone: better === 'better' ? 'good' : better === 'worse' ? 'bad' : '' };
}
