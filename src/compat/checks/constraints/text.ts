/** Line numbers of offsets in one text: the newlines are found once, each lookup is a binary search. */
export class LineIndex {
  private readonly newlines: number[] = [];

  constructor(text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.newlines.push(at);
  }

  /** 1-based line of a character offset; undefined for a negative offset (not found). */
  lineAt(offset: number): number | undefined {
    if (offset < 0) return undefined;
    let low = 0;
    let high = this.newlines.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.newlines[middle] ?? 0) < offset) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }
}

/** An anchor in a JSON text: a key (`"peerDependencies":`) or a key with its string value (`"name": "drupal/token"`). */
export type JsonAnchor = string | { key: string; value: string };

const keyPattern = /"((?:[^"\\\n]|\\.)*)"\s*:\s*(?:"((?:[^"\\\n]|\\.)*)")?/g;
const raw = (text: string): string => JSON.stringify(text).slice(1, -1);

/**
 * Finding a key's line in a JSON text, for findings' locations. Lockfiles hold thousands of
 * entries, so the first anchor is looked up in a map built in one pass over every key; the later
 * anchors (a section, then a name) are searched from there, inside the entry.
 */
export class JsonLines {
  private readonly lines: LineIndex;
  private firstOffsets: Map<string, number> | undefined;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  private first(anchor: JsonAnchor): number {
    if (this.firstOffsets === undefined) {
      const offsets = new Map<string, number>();
      for (const match of this.text.matchAll(keyPattern)) {
        const key = match[1] ?? '';
        if (!offsets.has(key)) offsets.set(key, match.index);
        if (match[2] !== undefined) {
          const pair = `${key}\u0000${match[2]}`;
          if (!offsets.has(pair)) offsets.set(pair, match.index);
        }
      }
      this.firstOffsets = offsets;
    }
    return this.firstOffsets.get(typeof anchor === 'string' ? raw(anchor) : `${raw(anchor.key)}\u0000${raw(anchor.value)}`) ?? -1;
  }

  /** Offset of the last anchor, each searched after the one before; -1 when one is missing. */
  offset(...anchors: JsonAnchor[]): number {
    let at = -1;
    for (const [index, anchor] of anchors.entries()) {
      at = index === 0 ? this.first(anchor) : this.after(at, typeof anchor === 'string' ? anchor : anchor.key);
      if (at < 0) return -1;
    }
    return at;
  }

  /** Offset of the quoted `key` after `from`; -1 when `from` is -1 or the key is not there. */
  after(from: number, key: string): number {
    return from < 0 ? -1 : this.text.indexOf(`"${raw(key)}"`, from + 1);
  }

  lineAt(offset: number): number | undefined {
    return this.lines.lineAt(offset);
  }

  /**
   * The line of each key of one object (a section such as `peerDependencies`), found by walking
   * forward: JSON.parse keeps the text's key order, so the whole section costs one scan.
   */
  keyLines(anchors: readonly JsonAnchor[], keys: readonly string[]): (number | undefined)[] {
    let cursor = this.offset(...anchors);
    return keys.map((key) => {
      const at = this.after(cursor, key);
      if (at >= 0) cursor = at;
      return this.lineAt(at);
    });
  }
}
