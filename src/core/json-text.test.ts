import { afterEach, describe, expect, it, vi } from 'vitest';
import { catchUfError } from '../../test/helpers/errors.js';
import { lineColumnAt, parseJsonText, scanJson, stripBom } from './json-text.js';

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

describe('parseJsonText', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('parses JSON and drops a leading byte-order mark', () => {
    expect(parseJsonText('{"a":[1,true,null]}', { file: 'a.json' })).toEqual({ a: [1, true, null] });
    expect(parseJsonText('\uFEFF{"a":1}', { file: 'a.json' })).toEqual({ a: 1 });
    expect(stripBom('\uFEFF[]')).toBe('[]');
    expect(stripBom('[]\uFEFF')).toBe('[]\uFEFF');
  });

  it('names the file, line and column of a mistake in multi-line text', () => {
    const error = catchUfError(() => parseJsonText('{\n  "a": 1,\n  "b": [1, 2,, 3]\n}', { file: 'x.json' }));
    expect(error.code).toBe('parse_error');
    expect(error.location).toEqual({ file: 'x.json', line: 3, column: 14 });
    expect(error.message).toMatch(/^invalid JSON: /);
    expect(error.message).not.toContain('\n');
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.describe()).toMatch(/^x\.json:3:14: invalid JSON: /);
  });

  it('takes the position V8 states, counting after a byte-order mark', () => {
    // V8: "Expected double-quoted property name in JSON at position 11"
    expect(catchUfError(() => parseJsonText('\uFEFF{\n  "a": 1,\n}', { file: 'x.json' })).location).toEqual({ file: 'x.json', line: 3, column: 1 });
    // V8 points past the minus sign, the scanner at it: V8's word is taken.
    expect(catchUfError(() => parseJsonText('[\n -]', { file: 'x.json' })).location).toEqual({ file: 'x.json', line: 2, column: 3 });
  });

  it('reports empty and blank input at its end', () => {
    expect(catchUfError(() => parseJsonText('', { file: 'e.json' })).location).toEqual({ file: 'e.json', line: 1, column: 1 });
    expect(catchUfError(() => parseJsonText('\uFEFF', { file: 'e.json' })).location).toEqual({ file: 'e.json', line: 1, column: 1 });
    expect(catchUfError(() => parseJsonText('\n\n  ', { file: 'e.json' })).location).toEqual({ file: 'e.json', line: 3, column: 3 });
  });

  it('reports truncated input where it stops', () => {
    const error = catchUfError(() => parseJsonText('{\n  "lockfileVersion": 2,\n  "packages": {\n', { file: 'p.json' }));
    expect(error.code).toBe('parse_error');
    expect(error.location).toEqual({ file: 'p.json', line: 4, column: 1 });
    expect(catchUfError(() => parseJsonText('["abc', { file: 'p.json' })).location).toEqual({ file: 'p.json', line: 1, column: 6 });
  });

  it('locates the first bad byte of binary-looking input, where V8 states no position', () => {
    const binary = '\u0000\u0001\u00ff\u0002\nPK\u0003\u0004';
    const error = catchUfError(() => parseJsonText(binary, { file: 'b.zip' }));
    expect(error.code).toBe('parse_error');
    expect(error.location).toEqual({ file: 'b.zip', line: 1, column: 1 });
    expect(catchUfError(() => parseJsonText('[1, 2]\n\u0000', { file: 'b.json' })).location).toEqual({ file: 'b.json', line: 2, column: 1 });
  });

  it('reads the line and column newer V8 versions add to the message', () => {
    const failWith = (message: string) =>
      vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
        throw new SyntaxError(message);
      });
    failWith('Expected double-quoted property name in JSON at position 4 (line 2 column 2)');
    expect(catchUfError(() => parseJsonText('{1,\n}', { file: 'n.json' })).location).toEqual({ file: 'n.json', line: 2, column: 1 });
    failWith('Unexpected token (line 7 column 9)');
    expect(catchUfError(() => parseJsonText('{', { file: 'n.json' })).location).toEqual({ file: 'n.json', line: 7, column: 9 });
  });

  it('is not fooled by quoted input that looks like a position', () => {
    // "Unexpected token 'a', "at position 3" is not valid JSON": no position stated.
    expect(catchUfError(() => parseJsonText('at position 3', { file: 'q.json' })).location).toEqual({ file: 'q.json', line: 1, column: 1 });
  });
});
