/**
 * Positions inside JSON text, so errors can name a line and column. `JSON.parse` gives values only,
 * and V8 states an error's offset only for some mistakes; this scanner finds the rest. It walks the
 * text once with an explicit stack (no recursion, so deep nesting cannot overflow) and never builds
 * values.
 */
import { UfError } from './errors.js';

export type JsonPath = readonly PropertyKey[];

export interface LineColumn {
  line: number;
  column: number;
}

export interface ScanResult {
  /** Offset of the first character that makes the text invalid JSON; absent when it is valid. */
  errorOffset?: number;
  /** Offset of the deepest value on the requested path that exists in the text. */
  pathOffset?: number;
}

type ObjectFrame = { kind: 'object'; key: string };
type Frame = { kind: 'array'; index: number } | ObjectFrame;

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const literals = ['true', 'false', 'null'] as const;

export function scanJson(text: string, path: JsonPath = []): ScanResult {
  const stack: Frame[] = [];
  let pos = skipSpace(text, 0);
  let pathOffset: number | undefined;
  let pathDepth = -1;
  let expectValue = true;

  const fail = (offset: number): ScanResult =>
    pathOffset === undefined ? { errorOffset: offset } : { errorOffset: offset, pathOffset };

  // Reads `"key" :` at pos into the top frame; returns the offset after it, or an error offset.
  const readMember = (frame: ObjectFrame): { next: number } | { error: number } => {
    if (text[pos] !== '"') return { error: pos };
    const end = stringEnd(text, pos);
    if (end < 0) return { error: -end - 1 };
    frame.key = JSON.parse(text.slice(pos, end)) as string;
    const colon = skipSpace(text, end);
    if (text[colon] !== ':') return { error: colon };
    return { next: skipSpace(text, colon + 1) };
  };

  for (;;) {
    if (expectValue) {
      if (stack.length > pathDepth && stack.length <= path.length && onPath(stack, path)) {
        pathDepth = stack.length;
        pathOffset = pos;
      }
      const ch = text[pos];
      if (ch === '{' || ch === '[') {
        pos = skipSpace(text, pos + 1);
        if (text[pos] === (ch === '{' ? '}' : ']')) {
          pos += 1;
          expectValue = false;
          continue;
        }
        if (ch === '[') {
          stack.push({ kind: 'array', index: 0 });
          continue;
        }
        const frame: ObjectFrame = { kind: 'object', key: '' };
        stack.push(frame);
        const member = readMember(frame);
        if ('error' in member) return fail(member.error);
        pos = member.next;
        continue;
      }
      const end = valueEnd(text, pos);
      if (end < 0) return fail(-end - 1);
      pos = end;
      expectValue = false;
      continue;
    }
    pos = skipSpace(text, pos);
    const frame = stack[stack.length - 1];
    if (!frame) return pos === text.length ? (pathOffset === undefined ? {} : { pathOffset }) : fail(pos);
    const ch = text[pos];
    if (ch === (frame.kind === 'array' ? ']' : '}')) {
      stack.pop();
      pos += 1;
      continue;
    }
    if (ch !== ',') return fail(pos);
    pos = skipSpace(text, pos + 1);
    if (frame.kind === 'array') {
      frame.index += 1;
    } else {
      const member = readMember(frame);
      if ('error' in member) return fail(member.error);
      pos = member.next;
    }
    expectValue = true;
  }
}

export interface JsonTextOptions {
  /** The file (or URL) the text came from, named in the error. */
  file: string;
}

/** Text without a leading byte-order mark (U+FEFF, which some editors write and `JSON.parse` refuses): the one place it is dropped. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * `JSON.parse` for outside input, the one place it is done: a leading byte-order mark is dropped,
 * and text that is not JSON throws `parse_error` naming the file, line and column. Line and column
 * count in the text without its byte-order mark.
 */
export function parseJsonText(text: string, options: JsonTextOptions): unknown {
  const source = stripBom(text);
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const where = errorLineColumn(source, error.message);
    throw new UfError('parse_error', `invalid JSON: ${firstLine(error.message)}`, { file: options.file, ...where }, { cause: error });
  }
}

/**
 * Where V8's syntax error points. It states an offset for some mistakes ("… in JSON at position 7",
 * newer versions add "(line 1 column 8)") and none for others ("Unexpected token …"); then the
 * scanner finds the first bad character.
 */
function errorLineColumn(text: string, message: string): LineColumn {
  if (message.startsWith('Unexpected end of JSON input')) return lineColumnAt(text, text.length);
  // Anchored at the end: the other messages quote the input, which may hold anything.
  const position = /in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message)?.[1];
  if (position !== undefined) return lineColumnAt(text, Number(position));
  const stated = /\(line (\d+) column (\d+)\)$/.exec(message);
  if (stated?.[1] !== undefined && stated[2] !== undefined) return { line: Number(stated[1]), column: Number(stated[2]) };
  return lineColumnAt(text, scanJson(text).errorOffset ?? text.length);
}

/** V8 quotes the surrounding text, which can run over several lines; the first says enough. */
function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** 1-based line and column of an offset; a `\r\n` pair counts as one line break. */
export function lineColumnAt(text: string, offset: number): LineColumn {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function onPath(stack: readonly Frame[], path: JsonPath): boolean {
  return stack.every((frame, i) => (frame.kind === 'array' ? frame.index : frame.key) === path[i]);
}

function skipSpace(text: string, pos: number): number {
  let i = pos;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i += 1;
  }
}

/** End offset of the scalar at pos, or `-(errorOffset + 1)`. */
function valueEnd(text: string, pos: number): number {
  const ch = text[pos];
  if (ch === '"') return stringEnd(text, pos);
  for (const literal of literals) {
    if (ch !== literal[0]) continue;
    for (let i = 1; i < literal.length; i += 1) {
      if (text[pos + i] !== literal[i]) return -(pos + i) - 1;
    }
    return pos + literal.length;
  }
  numberPattern.lastIndex = pos;
  const match = numberPattern.exec(text);
  if (!match) return -pos - 1;
  return pos + match[0].length;
}

/** End offset (after the closing quote) of the string starting at pos, or `-(errorOffset + 1)`. */
function stringEnd(text: string, pos: number): number {
  let i = pos + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 32) return -i - 1;
    if (c !== 92) {
      i += 1;
      continue;
    }
    const escape = text[i + 1];
    if (escape === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -(i + 2) - 1;
      i += 6;
    } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
      i += 2;
    } else {
      return -(i + 1) - 1;
    }
  }
  return -text.length - 1;
}
