/**
 * Durations as factory.yaml spells them: one or more whole numbers with a unit, largest unit first,
 * each unit at most once: `500ms`, `30s`, `5m`, `1h30m`, `2d`. Nothing else: no bare numbers
 * (seconds or milliseconds?), no decimals, no spaces, so a typo is refused, never guessed.
 */
const unitMs = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof unitMs;
const order: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];

export const durationFormat = 'a duration such as 30s, 5m, 1h30m or 500ms';

/** Milliseconds of a duration, or undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const parts = /^(?:\d+(?:ms|[dhms]))+$/.test(text) ? text.match(/\d+(?:ms|[dhms])/g) : null;
  if (!parts) return undefined;
  let total = 0;
  let lastRank = -1;
  for (const part of parts) {
    const unit = (part.endsWith('ms') ? 'ms' : part.at(-1)) as Unit;
    const rank = order.indexOf(unit);
    if (rank <= lastRank) return undefined;
    lastRank = rank;
    total += Number(part.slice(0, part.length - unit.length)) * unitMs[unit];
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** The shortest spelling of a whole number of milliseconds, for messages: `90000` -> `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const unit of order) {
    const count = Math.floor(rest / unitMs[unit]);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * unitMs[unit];
  }
  return text;
}
