import { isUfError, UfError } from '../../core/errors.js';
import { versionSchemeFor, versionSchemes } from '../../ecosystems/index.js';
import type { VersionScheme } from '../../ecosystems/types.js';

export type CompareSymbol = '<' | '=' | '>';

export interface CompareLinesResult {
  /** One symbol per good input line, each followed by a newline; empty when no line was good. */
  output: string;
  /** One entry per bad line (1-based line numbers), in input order. */
  errors: { line: number; message: string }[];
}

const symbols = { '-1': '<', '0': '=', '1': '>' } as const;

/** The scheme for `--ecosystem`, or UfError('usage') naming the known ecosystems. */
export function schemeForCli(ecosystem: string): VersionScheme {
  const scheme = versionSchemeFor(ecosystem);
  if (scheme !== undefined) return scheme;
  throw new UfError('usage', `unknown ecosystem "${ecosystem}"; known: ${Object.keys(versionSchemes).join(', ')}`);
}

/** `uf versions compare --ecosystem E A B`: the symbol, or UfError (usage, parse_error). */
export function compareVersions(ecosystem: string, a: string, b: string): CompareSymbol {
  return symbols[schemeForCli(ecosystem).compare(a, b)];
}

/**
 * `uf versions compare --stdin`: each input line is `A<TAB>B`; the output has one `<`, `=` or `>`
 * line per good input line, in order. A bad line (no tab, more than one tab, an empty side, a
 * version the ecosystem rejects, a blank line) prints nothing on stdout and yields an error with
 * its line number, which the command prints on stderr (`line N: reason`) before exiting 2, so a
 * script either gets every answer or a non-zero exit. A final newline does not start a line; a
 * `\r` before a newline is ignored. An unknown ecosystem throws UfError('usage') before any line.
 */
export function compareLines(ecosystem: string, input: string): CompareLinesResult {
  const scheme = schemeForCli(ecosystem);
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let output = '';
  const errors: CompareLinesResult['errors'] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fields = raw.replace(/\r$/, '').split('\t');
    const [a = '', b = ''] = fields.map((field) => field.trim());
    if (fields.length !== 2 || a === '' || b === '') {
      errors.push({ line, message: 'expected two versions separated by one tab' });
      return;
    }
    try {
      output += `${symbols[scheme.compare(a, b)]}\n`;
    } catch (error) {
      if (!isUfError(error)) throw error;
      errors.push({ line, message: error.message });
    }
  });
  return { output, errors };
}
