/**
 * Dates in release notes. A date written in a heading is taken as written (a release made late on
 * 14 February in UTC+7 stays on the 14th); a machine timestamp from an API is read in UTC.
 */
const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const monthName = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';

const numericDate = /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/;
const monthDayYear = new RegExp(`\\b${monthName}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i');
const dayMonthYear = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${monthName},?\\s+(\\d{4})\\b`, 'i');
// `git log` default: `Mon Jan 15 10:00:00 2024 +0100`.
const gitDate = new RegExp(`\\b${monthName}\\s+(\\d{1,2})\\s+\\d{1,2}:\\d{2}:\\d{2}\\s+(\\d{4})\\b`, 'i');

/** The first calendar date written in the text, as YYYY-MM-DD. */
export function dateInText(text: string): string | undefined {
  const numeric = numericDate.exec(text);
  if (numeric) return calendarDate(numeric[1], numeric[2], numeric[3]);
  const git = gitDate.exec(text);
  if (git) return calendarDate(git[3], monthNumber(git[1]), git[2]);
  const mdy = monthDayYear.exec(text);
  if (mdy) return calendarDate(mdy[3], monthNumber(mdy[1]), mdy[2]);
  const dmy = dayMonthYear.exec(text);
  if (dmy) return calendarDate(dmy[3], monthNumber(dmy[2]), dmy[1]);
  return undefined;
}

/** The UTC calendar date of an ISO 8601 timestamp, e.g. `2024-01-01T23:30:00-05:00` → `2024-01-02`. */
export function utcDate(timestamp: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(timestamp)) return undefined;
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return undefined;
  return new Date(time).toISOString().slice(0, 10);
}

function monthNumber(name: string | undefined): string | undefined {
  const index = months.indexOf((name ?? '').slice(0, 3).toLowerCase());
  return index < 0 ? undefined : String(index + 1);
}

function calendarDate(year?: string, month?: string, day?: string): string | undefined {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return undefined;
  if (y < 1970 || y > 2999 || m < 1 || m > 12 || d < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
