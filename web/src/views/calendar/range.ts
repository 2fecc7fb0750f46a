/** Calendar arithmetic in the viewer's local time: a day is a local calendar day. */

export type Span = 7 | 14;

const dayMs = 86_400_000;

/** Monday 00:00 local of the week holding `at`. */
export function weekStart(at: Date): Date {
  const d = new Date(at.getFullYear(), at.getMonth(), at.getDate());
  const back = (d.getDay() + 6) % 7;
  d.setDate(d.getDate() - back);
  return d;
}

/** `n` local days later (calendar days, so a DST change does not shift midnight). */
export function addDays(at: Date, n: number): Date {
  return new Date(at.getFullYear(), at.getMonth(), at.getDate() + n);
}

export function daysOf(start: Date, span: Span): Date[] {
  return Array.from({ length: span }, (_, i) => addDays(start, i));
}

export function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** The part of [start, end) that falls on `day`, or undefined when none does. */
export interface Piece {
  from: Date;
  to: Date;
  /** It covers the day's start / its end (began on an earlier day, goes on to a later one). */
  before: boolean;
  after: boolean;
}

export function pieceOn(day: Date, start: Date, end: Date): Piece | undefined {
  const dayEnd = addDays(day, 1);
  if (!(start < dayEnd && end > day)) return undefined;
  return { from: start > day ? start : day, to: end < dayEnd ? end : dayEnd, before: start <= day, after: end >= dayEnd };
}

export function overlaps(start: Date, end: Date, from: Date, to: Date): boolean {
  return start < to && end > from;
}

const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** "22:00–02:00", "from 22:00", "until 02:00", "all day", for the part of an interval on one day. */
export function pieceText(p: Piece): string {
  if (p.before && p.after) return 'all day';
  if (p.before) return `until ${time.format(p.to)}`;
  if (p.after) return `from ${time.format(p.from)}`;
  return `${time.format(p.from)}–${time.format(p.to)}`;
}

export const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An instant as the wall clock of `zone` reads it ("Mon 22:00 Europe/Berlin"), for where the window's own zone matters. */
export function inZone(at: Date, zone: string, withDate = false): string {
  const f = new Intl.DateTimeFormat(undefined, withDate ? { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' } : { timeZone: zone, weekday: 'short', hour: 'numeric', minute: '2-digit' });
  return `${f.format(at)} ${zone}`;
}

export function durationLabel(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}` || '0m';
}

export { dayMs };
