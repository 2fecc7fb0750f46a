import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCvss } from './parse.js';
import { cvssSeverity } from './severity.js';
import { sharedData } from '../../../test/helpers/shared-data.js';

/**
 * Conformance against Red Hat's CVSS test vectors (RedHatProductSecurity/cvss `tests/`, LGPL-3.0).
 * They are test data only: read from the shared data folder beside the repository, never copied in.
 * Lines look like `CVSS:3.1/... - (base, temporal, environmental)`, `CVSS:4.0/... - (score,)` or
 * `CVSS:4.0/... - score`; the first number is the expected score.
 */
const cvss = sharedData('cvss');

interface Case {
  line: number;
  vector: string;
  expected: number;
}

function readCases(file: string): Case[] {
  const lines = readFileSync(cvss.path(file), 'utf8').split('\n');
  const cases: Case[] = [];
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    const [vector, expected] = text.split(' - ');
    const number = /-?\d+(\.\d+)?/.exec(expected ?? '');
    if (vector === undefined || !number) throw new Error(`${file}:${index + 1}: unreadable line ${JSON.stringify(text)}`);
    cases.push({ line: index + 1, vector: vector.trim(), expected: Number(number[0]) });
  });
  return cases;
}

/** Which score each file's expectation is: base-only files check the base score, the others the overall (CVSS-BT/BE/BTE) score. */
const files = [
  { file: 'vectors_simple31.txt', score: 'base', lines: 2592 },
  { file: 'vectors_simple4.txt', score: 'base', lines: 1058 },
  { file: 'vectors_security4.txt', score: 'overall', lines: 54 },
  { file: 'vectors_threat4.txt', score: 'overall', lines: 6 },
  { file: 'vectors_supplemental4.txt', score: 'overall', lines: 576 },
] as const;

describe.skipIf(!cvss.available)(`CVSS conformance${cvss.skipNote}`, () => {
  it.each(files)('$file: every vector scores as expected ($lines lines)', ({ file, score, lines }) => {
    const cases = readCases(file);
    expect(cases).toHaveLength(lines);
    const mismatches: string[] = [];
    for (const { line, vector, expected } of cases) {
      const result = parseCvss(vector);
      const actual = score === 'base' ? result.baseScore : result.overall.score;
      if (actual !== expected) mismatches.push(`${file}:${line} ${vector}: expected ${expected}, got ${actual}`);
      if (result.severity !== cvssSeverity(result.baseScore)) mismatches.push(`${file}:${line} severity ${result.severity} for ${result.baseScore}`);
    }
    expect(mismatches).toEqual([]);
  });
});
