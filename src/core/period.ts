import { UfError } from './errors.js';

/** A reporting period: a half-open UTC range `[from, to)` of ISO-8601 instants, and its label. */
export interface Period {
  from: string;
  to: string;
  /** As the user wrote it, normalised: `2026-Q4`, `2026-11`, `2026`, `2026-11-01..2026-11-30`. */
  label: string;
}

const periodFormats = 'a quarter (2026-Q4), a month (2026-11), a year (2026) or an ISO date range (2026-11-01..2026-11-30, or with /)';

/**
 * A reporting period as a half-open UTC range `[from, to)`. A date range includes its last day.
 * Anything else is refused with the accepted forms, naming `what` (e.g. `--period`).
 */
export function parsePeriod(text: string, what = 'period'): Period {
  const value = text.trim();
  const refuse = (why: string): never => {
    throw new UfError('usage', `${what} ${JSON.stringify(text)}: ${why}; expected ${periodFormats}`);
  };
  let match = /^(\d{4})-?Q([1-4])$/i.exec(value);
  if (match) {
    const year = Number(match[1]);
    const quarter = Number(match[2]);
    return { label: `${year}-Q${quarter}`, from: utc(year, (quarter - 1) * 3, 1), to: utc(year, quarter * 3, 1) };
  }
  match = /^(\d{4})-(\d{2})$/.exec(value);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    if (month < 1 || month > 12) refuse(`month ${match[2]} is not 01 to 12`);
    return { label: value, from: utc(year, month - 1, 1), to: utc(year, month, 1) };
  }
  match = /^(\d{4})$/.exec(value);
  if (match) {
    const year = Number(match[1]);
    return { label: value, from: utc(year, 0, 1), to: utc(year + 1, 0, 1) };
  }
  const parts = value.split(/\.\.|\//);
  if (parts.length === 2) {
    const [start, end] = parts.map((p) => p.trim()) as [string, string];
    const from = day(start) ?? refuse(`${JSON.stringify(start)} is not a calendar date such as 2026-11-01`);
    const last = day(end) ?? refuse(`${JSON.stringify(end)} is not a calendar date such as 2026-11-30`);
    if (last < from) refuse(`it ends (${end}) before it starts (${start})`);
    return { label: `${start}..${end}`, from: from.toISOString(), to: new Date(last.getTime() + 86_400_000).toISOString() };
  }
  return refuse('not a period');
}

function utc(year: number, month: number, date: number): string {
  return new Date(Date.UTC(year, month, date)).toISOString();
}

function day(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const value = new Date(Date.UTC(year, month - 1, date));
  return value.getUTCFullYear() === year && value.getUTCMonth() === month - 1 && value.getUTCDate() === date ? value : undefined;
}

/** The quarter an instant falls in (UTC), as a period label: `2026-Q4`. */
export function quarterOf(at: Date): string {
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}
