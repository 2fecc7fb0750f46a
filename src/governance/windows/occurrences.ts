import type { WindowsSection } from '../../config/sections/windows.js';
import { UfError } from '../../core/errors.js';
import { policyOf } from './service.js';

export interface WindowOccurrence {
  kind: 'allow' | 'deny';
  name: string;
  start: string;
  end: string;
  timeZone: string;
}

/** The longest period expanded at once, and the most occurrences of one window in it. */
export const maxOccurrenceDays = 62;
const maxPerWindow = 2000;

/**
 * Every opening of each allow and deny window that overlaps [from, to): the cron schedule read in
 * the window's zone by croner (DST as Vixie cron has it), each opening lasting the window's
 * duration. An opening that began before `from` and is still open at it is included.
 */
export function windowOccurrences(section: WindowsSection, range: { from: Date; to: Date }): WindowOccurrence[] {
  if (!(range.to > range.from)) throw new UfError('usage', `to (${range.to.toISOString()}) must be after from (${range.from.toISOString()})`, { path: 'to' });
  if (range.to.getTime() - range.from.getTime() > maxOccurrenceDays * 86_400_000) throw new UfError('usage', `at most ${maxOccurrenceDays} days at once`, { path: 'to' });
  const policy = policyOf(section);
  const found: WindowOccurrence[] = [];
  for (const w of [...policy.allow, ...policy.deny]) {
    let cursor = new Date(range.from.getTime() - w.durationMs);
    for (let i = 0; i < maxPerWindow; i++) {
      const start = w.cron.nextRun(cursor);
      if (!start || start >= range.to) break;
      const end = new Date(start.getTime() + w.durationMs);
      if (end > range.from) found.push({ kind: w.kind, name: w.name, start: start.toISOString(), end: end.toISOString(), timeZone: w.timeZone });
      cursor = start;
    }
  }
  return found.sort((a, b) => a.start.localeCompare(b.start) || a.name.localeCompare(b.name));
}
