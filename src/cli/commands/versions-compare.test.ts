import { describe, expect, it } from 'vitest';
import { compareLines, compareVersions } from './versions-compare.js';

describe('compareLines (uf versions compare --stdin)', () => {
  it('prints one symbol per line', () => {
    const result = compareLines('PyPI', '1.0\t1.0.0\n1.0a1\t1.0\n2!1.0\t1.0\n');
    expect(result).toEqual({ output: '=\n<\n>\n', errors: [] });
  });

  it('reports bad lines by number and prints nothing for them', () => {
    const input = ['1.0.0\t2.0.0', 'no tab here', '', '1.0.0\t', 'a\tb\tc', 'x.y\t1.0.0', '2.0.0\t1.0.0'].join('\n');
    const result = compareLines('npm', input);
    expect(result.output).toBe('<\n>\n');
    expect(result.errors.map((error) => error.line)).toEqual([2, 3, 4, 5, 6]);
    expect(result.errors[4]?.message).toContain('x.y');
  });

  it('accepts CRLF input, trims spaces around versions and ignores the final newline', () => {
    expect(compareLines('Debian', ' 1.0~rc1 \t1.0\r\n1:0\t2.0\r\n')).toEqual({ output: '<\n>\n', errors: [] });
    expect(compareLines('Maven', '')).toEqual({ output: '', errors: [] });
  });

  it('reads OSV ecosystem names with a suffix and any case', () => {
    expect(compareLines('Debian:11', '1.0\t1.0-0\n').output).toBe('=\n');
    expect(compareLines('pypi', '1.0\t1.1\n').output).toBe('<\n');
  });

  it('rejects an unknown ecosystem as a usage error before reading lines', () => {
    expect(() => compareLines('Cobol', '1\t2')).toThrow(expect.objectContaining({ code: 'usage' }));
  });
});

describe('compareVersions (uf versions compare --ecosystem E A B)', () => {
  it('compares one pair', () => {
    expect(compareVersions('Maven', '1.0-SNAPSHOT', '1.0')).toBe('<');
    expect(compareVersions('Go', 'v1.2.3', '1.2.3')).toBe('=');
  });

  it('throws parse_error for a version the ecosystem rejects', () => {
    expect(() => compareVersions('npm', 'latest', '1.0.0')).toThrow(expect.objectContaining({ code: 'parse_error' }));
  });
});
