/**
 * IANA time zones through Intl only (no time-zone database of our own): whether a zone exists, a
 * zone's UTC offset at an instant, and a zone's wall-clock time turned into an instant.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether Intl knows the zone (`Europe/Berlin`, `UTC`); `Mars/Olympus` and `CEST` are not zones. */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone !== zone.trim()) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `at`, in minutes (Berlin in summer: 120). */
export function zoneOffsetMinutes(zone: string, at: Date): number {
  const parts = Object.fromEntries(formatter(zone).formatToParts(at).map((p) => [p.type, p.value])) as Record<string, string>;
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** `at` as the zone's wall clock, `2026-03-29 03:00 (+02:00)`, for messages. */
export function formatInZone(at: Date, zone: string): string {
  const parts = Object.fromEntries(formatter(zone).formatToParts(at).map((p) => [p.type, p.value])) as Record<string, string>;
  const offset = zoneOffsetMinutes(zone, at);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${zone} (${sign}${hhmm})`;
}

const localPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A wall-clock time in a zone as an instant. Text with its own offset (`Z`, `+01:00`) is taken as
 * is. A local time that occurs twice (the hour repeated when clocks go back) is its first
 * occurrence; one that does not exist (skipped when clocks go forward) is moved forward by the
 * gap, as the clocks were: 02:30 on a day Berlin jumps from 02:00 to 03:00 is 03:30.
 * Undefined for text that is neither.
 */
export function zonedToInstant(text: string, zone: string): Date | undefined {
  if (/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) && /^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  }
  const m = localPattern.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  // The offsets a day either side bracket any change at this wall time; try the earlier first.
  const before = zoneOffsetMinutes(zone, new Date(wall - 86_400_000));
  const after = zoneOffsetMinutes(zone, new Date(wall + 86_400_000));
  for (const offset of [before, after]) {
    const candidate = wall - offset * 60_000;
    if (zoneOffsetMinutes(zone, new Date(candidate)) === offset) return new Date(candidate);
  }
  // In a gap: neither offset gives back this wall time. Moved forward by the gap (earlier offset).
  return new Date(wall - before * 60_000);
}
