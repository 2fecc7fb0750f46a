/** 1-based line of a character offset; undefined for a negative offset (not found). */
export function lineAt(text: string, offset: number): number | undefined {
  if (offset < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

/**
 * Line of `"key"` inside a JSON text, searched after each anchor in turn (`"peerDependencies"`, then
 * `"react"`): cheap and good enough for a finding's location; undefined when an anchor is missing.
 */
export function jsonKeyLine(text: string, ...anchors: string[]): number | undefined {
  let from = 0;
  for (const anchor of anchors) {
    const at = text.indexOf(JSON.stringify(anchor), from);
    if (at < 0) return undefined;
    from = at + 1;
  }
  return lineAt(text, from - 1);
}

/** A plain object's string-valued entries; anything else (an array, a number) reads as undefined. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
