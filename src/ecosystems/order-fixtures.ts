import { readFileSync } from 'node:fs';
import { sharedData } from '../../test/helpers/shared-data.js';
import type { VersionScheme } from './types.js';

/**
 * Reader for the version-order fixtures in `../shared/data/version-order` (osv-scalibr's
 * `semantic/testdata`): one `A < B`, `A > B` or `A = B` per line; blank lines and lines starting
 * with `# ` or `// ` are comments. Used by the scheme tests only.
 */
export interface OrderLine {
  line: number;
  a: string;
  expected: -1 | 0 | 1;
  b: string;
}

const expectations = { '<': -1, '=': 0, '>': 1 } as const;

/** `UF_SHARED_DATA` points at another copy of shared/data; the default is the checkout's sibling. */
export const versionOrderDir: string = sharedData('version-order').dir;

export const hasVersionOrderFixtures: boolean = sharedData('version-order').available;

export function readOrderFixture(file: string): OrderLine[] {
  const text = readFileSync(`${versionOrderDir}/${file}`, 'utf8');
  const lines: OrderLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw === '' || raw.startsWith('# ') || raw.startsWith('// ')) return;
    const pieces = raw.split(' ');
    const [a, symbol, b] = pieces;
    if (pieces.length !== 3 || a === undefined || b === undefined || !(symbol === '<' || symbol === '=' || symbol === '>')) {
      throw new Error(`${file}:${index + 1}: not a comparison line: ${raw}`);
    }
    lines.push({ line: index + 1, a, expected: expectations[symbol], b });
  });
  return lines;
}

/** Every line that fails in either direction, as `file:line: A ? B: got …` strings. */
export function orderFailures(
  scheme: VersionScheme,
  file: string,
  lines: readonly OrderLine[],
  spell: (version: string) => string = (version) => version,
): string[] {
  const failures: string[] = [];
  for (const { line, a, expected, b } of lines) {
    const [x, y] = [spell(a), spell(b)];
    const forward = attempt(() => scheme.compare(x, y));
    const backward = attempt(() => scheme.compare(y, x));
    if (forward !== expected || backward !== -expected) {
      failures.push(`${file}:${line}: ${x} vs ${y}: expected ${expected}, got ${forward} and reversed ${backward}`);
    }
  }
  return failures;
}

function attempt(run: () => number): number | string {
  try {
    return run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
