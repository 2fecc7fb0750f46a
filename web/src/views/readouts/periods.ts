/** Reporting periods in the forms the readout and DORA routes accept (src/core/period.ts): 2026-Q4, 2026-11. */
export function quarterLabel(year: number, quarter: number): string {
  return `${year}-Q${quarter}`;
}

export function monthLabel(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The last `count` quarters up to and including the one `now` is in, oldest first. */
export function lastQuarters(now: Date, count: number): string[] {
  let year = now.getUTCFullYear();
  let quarter = Math.floor(now.getUTCMonth() / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.unshift(quarterLabel(year, quarter));
    quarter--;
    if (quarter === 0) [year, quarter] = [year - 1, 4];
  }
  return out;
}

/** The last `count` months up to and including the one `now` is in, oldest first. */
export function lastMonths(now: Date, count: number): string[] {
  let year = now.getUTCFullYear();
  let month = now.getUTCMonth() + 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.unshift(monthLabel(year, month));
    month--;
    if (month === 0) [year, month] = [year - 1, 12];
  }
  return out;
}
