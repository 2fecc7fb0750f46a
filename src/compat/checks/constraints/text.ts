/** 1-based line of a character offset; undefined for a negative offset (not found). */
export function lineAt(text: string, offset: number): number | undefined {
  if (offset < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

/**
 * Line of the last anchor inside a JSON text, each searched after the one before (`"peerDependencies"`,
 * then `"react"`): a string anchor is a quoted key, a RegExp anchor anything (`"name": "drupal/token"`).
 * Cheap and good enough for a finding's location; undefined when an anchor is missing.
 */
export function jsonKeyLine(text: string, ...anchors: (string | RegExp)[]): number | undefined {
  let from = 0;
  for (const anchor of anchors) {
    let at: number;
    if (typeof anchor === 'string') {
      at = text.indexOf(JSON.stringify(anchor), from);
    } else {
      const pattern = new RegExp(anchor.source, 'g');
      pattern.lastIndex = from;
      at = pattern.exec(text)?.index ?? -1;
    }
    if (at < 0) return undefined;
    from = at + 1;
  }
  return lineAt(text, from - 1);
}

/** A RegExp anchor for `"key": "value"` in JSON text, whatever the spacing. */
export function jsonPair(key: string, value: string): RegExp {
  const quoted = (word: string) => JSON.stringify(word).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`${quoted(key)}\\s*:\\s*${quoted(value)}`);
}

/** A plain object's string-valued entries; anything else (an array, a number) reads as undefined. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
