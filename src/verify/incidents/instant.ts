/**
 * An ISO-8601 instant with a time zone (`Z` or an offset) as UTC text; undefined for anything
 * else. A local time without a zone is refused rather than guessed: the link window is hours.
 */
export function utcInstant(text: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) return undefined;
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Epoch milliseconds (or Opsgenie's nanosecond `updatedAt`) as UTC text. */
export function epochInstant(value: number): string {
  const ms = value > 1e15 ? Math.floor(value / 1e6) : value;
  return new Date(ms).toISOString();
}

/** The `uf-change:<id>` tag's id, from tags or free text. */
export function changeTagIn(texts: readonly string[]): string | null {
  for (const text of texts) {
    const match = /\buf-change:([A-Za-z0-9_#.-]+)/.exec(text);
    if (match) return match[1]!;
  }
  return null;
}
