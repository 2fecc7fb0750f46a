/** Dates in feeds: the shape alone lets `2021-02-30` through, and a feed's date must be a real one. */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** `2025-08-25` or an RFC 3339 timestamp on a real calendar day (`2025-08-25T00:00:00Z`, `…+02:00`). */
export function isFeedTimestamp(text: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  return match !== null && isCalendarDay(match[1]!);
}
