import { dateInText, utcDate } from '../dates.js';

/** One commit as read from a git log, before its message is interpreted. */
export interface CommitRecord {
  hash?: string;
  /** YYYY-MM-DD in UTC, when the log carries dates. */
  date?: string;
  /** Tags from `--decorate` output (`tag: v1.2.0`). */
  tags: string[];
  /** Subject, body and footers, without indentation. */
  message: string;
  /** 1-based line of the record's first line. */
  line: number;
}

const fullOrShortHash = /^[0-9a-f]{7,40}$/i;
const endMarker = /^--END--\s*$/;
const defaultHeader = /^commit ([0-9a-f]{7,40})\b(.*)$/i;
const onelineEntry = /^([0-9a-f]{7,40})\s+(?:\(([^)]*)\)\s+)?(.*)$/i;
const isoTimestamp = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Splits a git log into commits, newest first as git prints them. Three layouts are read:
 * - records ending in a `--END--` line: `git log --format=%H%n%B%n--END--`, optionally with a
 *   date line after the hash (`--format=%H%n%cI%n%B%n--END--`);
 * - git's default layout (`commit <hash>`, `Author:`, `Date:`, message indented by four spaces);
 * - one commit per line: a subject, optionally after a hash and decorations, as
 *   `git log --oneline --decorate` prints it.
 */
export function splitCommits(text: string): CommitRecord[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.some((line) => endMarker.test(line))) return endDelimited(lines);
  const first = lines.find((line) => line.trim() !== '');
  if (first !== undefined && defaultHeader.test(first)) return defaultLayout(lines);
  return oneline(lines);
}

function endDelimited(lines: readonly string[]): CommitRecord[] {
  const records: CommitRecord[] = [];
  let body: string[] = [];
  let start = 1;
  const finish = (): void => {
    let offset = body.findIndex((line) => line.trim() !== '');
    if (offset < 0) return;
    const line = start + offset;
    let hash: string | undefined;
    let date: string | undefined;
    if (fullOrShortHash.test((body[offset] ?? '').trim())) {
      hash = (body[offset] ?? '').trim().toLowerCase();
      offset += 1;
      const next = (body[offset] ?? '').trim();
      if (isoTimestamp.test(next)) {
        date = utcDate(next);
        offset += 1;
      }
    }
    const message = body.slice(offset).join('\n').trim();
    if (message !== '' || hash !== undefined) records.push({ ...(hash ? { hash } : {}), ...(date ? { date } : {}), tags: [], message, line });
  };
  lines.forEach((line, index) => {
    if (endMarker.test(line)) {
      finish();
      body = [];
      start = index + 2;
    } else {
      body.push(line);
    }
  });
  finish();
  return records;
}

function defaultLayout(lines: readonly string[]): CommitRecord[] {
  const records: CommitRecord[] = [];
  let current: (CommitRecord & { body: string[]; inHeader: boolean }) | undefined;
  const finish = (): void => {
    if (!current) return;
    const { body, inHeader: _inHeader, ...record } = current;
    records.push({ ...record, message: body.join('\n').trim() });
  };
  lines.forEach((line, index) => {
    const header = defaultHeader.exec(line);
    if (header) {
      finish();
      current = { hash: (header[1] ?? '').toLowerCase(), tags: tagsOf(header[2] ?? ''), message: '', line: index + 1, body: [], inHeader: true };
      return;
    }
    if (!current) return;
    if (current.inHeader) {
      if (line.trim() === '') current.inHeader = false;
      else if (/^Date:/i.test(line)) {
        const date = gitDate(line.replace(/^Date:\s*/i, ''));
        if (date) current.date = date;
      }
      return;
    }
    current.body.push(line.replace(/^ {4}/, ''));
  });
  finish();
  return records;
}

function oneline(lines: readonly string[]): CommitRecord[] {
  const records: CommitRecord[] = [];
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const entry = onelineEntry.exec(line);
    if (entry && /[a-z]/i.test(entry[3] ?? '')) {
      const tags = tagsOf(entry[2] ?? '');
      records.push({ hash: (entry[1] ?? '').toLowerCase(), tags, message: entry[3] ?? '', line: index + 1 });
    } else {
      records.push({ tags: [], message: line, line: index + 1 });
    }
  });
  return records;
}

/** `Mon Jan 15 23:30:00 2024 -0500` (git's default) → `2024-01-16`, the UTC day, like ISO dates. */
function gitDate(text: string): string | undefined {
  const time = Date.parse(text.trim());
  if (!Number.isNaN(time) && /\d{4}/.test(text)) return new Date(time).toISOString().slice(0, 10);
  return dateInText(text);
}

/** `(HEAD -> main, tag: v1.2.0, origin/main)` → `['v1.2.0']`. */
function tagsOf(decoration: string): string[] {
  return [...decoration.matchAll(/\btag: ([^,()\s]+)/g)].map((match) => match[1] ?? '').filter((tag) => tag !== '');
}
