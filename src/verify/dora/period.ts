import { UfError } from '../../core/errors.js';
import { parsePeriod, quarterOf } from '../../core/period.js';

/** A half-open interval [from, to) of UTC instants, with the label it was asked by. */
export interface Period {
  label: string;
  from: string;
  to: string;
  days: number;
}

const dayMs = 86_400_000;

/**
 * `2026-Q4`, `2026-11`, `2026`, `2026-11-01..2026-11-30` or explicit `from`/`to` (dates or instants; a date `to` is
 * inclusive, so `--to 2026-11-30` covers that day). Without any: the quarter `now` is in.
 */
export function resolvePeriod(input: { period?: string; from?: string; to?: string }, now: Date): Period {
  if (input.period !== undefined && (input.from !== undefined || input.to !== undefined)) {
    throw new UfError('usage', 'give a period (2026-Q4, 2026-11) or --from/--to, not both', { path: 'period' });
  }
  if (input.from !== undefined || input.to !== undefined) {
    if (input.from === undefined || input.to === undefined) throw new UfError('usage', '--from and --to go together', { path: input.from === undefined ? 'from' : 'to' });
    const from = bound(input.from, 'from', false);
    const to = bound(input.to, 'to', true);
    if (to <= from) throw new UfError('usage', `--to ${input.to} is not after --from ${input.from}`, { path: 'to' });
    return make(`${input.from}..${input.to}`, from, to);
  }
  const label = input.period ?? quarterOf(now);
  // Quarters, months, years and date ranges are spelled as the readout spells them.
  const named = parsePeriod(label, 'period');
  return make(named.label, Date.parse(named.from), Date.parse(named.to));
}

function bound(text: string, name: string, inclusiveDate: boolean): number {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(date ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms) || (!date && !/(Z|[+-]\d{2}:?\d{2})$/i.test(text))) throw new UfError('usage', `--${name} ${text} is not a date (2026-11-01) or an instant with a zone`, { path: name });
  return date && inclusiveDate ? ms + dayMs : ms;
}

function make(label: string, from: number, to: number): Period {
  return { label, from: new Date(from).toISOString(), to: new Date(to).toISOString(), days: (to - from) / dayMs };
}

export function inPeriod(at: string | null, period: Period): boolean {
  return at !== null && at >= period.from && at < period.to;
}
