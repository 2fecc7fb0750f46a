import { describe, expect, it } from 'vitest';
import { lineColumnAt, scanJson } from './json-text.js';

describe('scanJson', () => {
  it('finds nothing wrong in valid JSON, however it is laid out', () => {
    for (const text of ['{}', '[]', ' 1 ', '"a\\u00e9\\n"', '{"a":[1,-2.5e3,true,false,null,{"b":{}}]}', '[[[[]]]]']) {
      expect(scanJson(text).errorOffset, text).toBeUndefined();
    }
  });

  it.each([
    ['', 0],
    ['{"a":1,}', 7],
    ['[1,2,,3]', 5],
    ['{"a":1', 6],
    ['this is not json!', 1],
    ['{"a": tru\n}', 9],
    ['"abc', 4],
    ['{"a":1} x', 8],
    ['"\\u12"', 3],
    ['01', 1],
    ['{"a"\n:\n1\n\n\n,"b":}', 16],
  ])('points at the first bad character of %j', (text, offset) => {
    expect(scanJson(text).errorOffset).toBe(offset);
  });

  it('agrees with V8 wherever V8 states a position', () => {
    for (const text of ['{"a":1,}', '{"a":1', '"abc', '{"a":1} x']) {
      const match = /at position (\d+)/.exec(errorMessage(text));
      expect(match, text).not.toBeNull();
      expect(scanJson(text).errorOffset, text).toBe(Number(match?.[1]));
    }
  });

  it('locates the deepest value on a path that exists', () => {
    const text = '{\n  "components": [\n    {"name": "a"},\n    {\n      "name": 5\n    }\n  ]\n}';
    expect(lineColumnAt(text, scanJson(text, ['components', 1, 'name']).pathOffset ?? -1)).toEqual({ line: 5, column: 15 });
    expect(lineColumnAt(text, scanJson(text, ['components', 1, 'version']).pathOffset ?? -1).line).toBe(4);
    expect(scanJson(text, []).pathOffset).toBe(0);
  });

  it('survives nesting far deeper than a recursive parser could', () => {
    const deep = '['.repeat(200_000);
    expect(scanJson(deep).errorOffset).toBe(200_000);
  });
});

describe('lineColumnAt', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumnAt('ab\ncd\r\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd\r\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt('ab\ncd\r\nef', 7)).toEqual({ line: 3, column: 1 });
    expect(lineColumnAt('ab', 99)).toEqual({ line: 1, column: 3 });
  });
});

function errorMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}
