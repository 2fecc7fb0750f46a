import { lineColumnAt, scanJson } from '../../core/json-text.js';

/** 1-based line of the deepest value on `path` that exists in valid JSON text. */
export function lineOfPath(text: string, path: readonly PropertyKey[]): number {
  const offset = scanJson(text, path).pathOffset;
  return offset === undefined ? 1 : lineColumnAt(text, offset).line;
}

export interface JsonLines {
  /** 1-based line where each element of a top-level array starts. */
  elements: number[];
  /** 1-based line of each key of the object under the top-level key asked for. */
  members: Map<string, number>;
}

/**
 * Lines of the records a release source is made of, in one pass over text that `JSON.parse`
 * accepted. (`scanJson` finds one path per pass; a packument has thousands of versions.)
 */
export function jsonLines(text: string, memberOf?: string): JsonLines {
  const elements: number[] = [];
  const members = new Map<string, number>();
  // Per open container: its kind, and for objects the key whose value is being read.
  const stack: { array: boolean; key?: string }[] = [];
  let expectKey = false;
  let line = 1;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      line += 1;
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 13 || ch === 44 /* , */ || ch === 58 /* : */) {
      if (ch === 44) expectKey = stack[stack.length - 1]?.array === false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (stack.length === 1 && top?.array && ch !== 93 /* ] */) elements.push(line);
    if (ch === 34 /* " */) {
      const end = stringEnd(text, i);
      if (expectKey && top && !top.array) {
        top.key = JSON.parse(text.slice(i, end)) as string;
        if (stack.length === 2 && stack[0]?.key === memberOf && memberOf !== undefined) members.set(top.key, line);
      }
      expectKey = false;
      i = end - 1;
    } else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      stack.push({ array: ch === 91 });
      expectKey = ch === 123;
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) {
      stack.pop();
      expectKey = false;
    } else {
      // A number or literal: skip to its end so each value is counted once.
      while (i + 1 < text.length && /[\w.+-]/.test(text.charAt(i + 1))) i += 1;
      expectKey = false;
    }
  }
  return { elements, members };
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else i += 1;
  }
  return text.length;
}
