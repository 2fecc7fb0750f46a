import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUf } from './helpers/cli.js';

/** `uf analysis judge --input FILE [--json]`, whose input and output DESIGN.md declares stable. */
describe('uf analysis judge', { timeout: 120_000 }, () => {
  let dir: string;
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const uf = (...args: string[]) => runUf(args, { cwd: dir });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'uf-judge-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('classifies a regression as high with the interval R computes, exit 1', async () => {
    const file = write('high.json', JSON.stringify({ canary: [10, 20, 30, 40], baseline: [1, 2, 3, 4] }));
    const result = await uf('analysis', 'judge', '--input', file, '--json');
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(output).sort()).toEqual(['ci', 'classification', 'critical', 'effectSize', 'estimate', 'reason']);
    expect(output).toMatchObject({ classification: 'high', critical: false, ci: [6, 39], estimate: 22.5, effectSize: 10 });
  });

  it('passes the same distribution (exit 0) and prints a short human summary without --json', async () => {
    const file = write('pass.json', JSON.stringify({ canary: [1, 2, 3, 4, 5], baseline: [5, 4, 3, 2, 1], direction: 'increase' }));
    const result = await uf('analysis', 'judge', '--input', file);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^pass: /);
  });

  it('no data is nodata, never a pass (exit 1); nulls are missing values', async () => {
    const file = write('nodata.json', JSON.stringify({ canary: [null, null], baseline: [1, 2] }));
    const result = await uf('analysis', 'judge', '--input', file, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ classification: 'nodata', ci: null, estimate: null });
    const mustHave = write('must.json', JSON.stringify({ canary: [], baseline: [1, 2], mustHaveData: true }));
    expect(JSON.parse((await uf('analysis', 'judge', '--input', mustHave, '--json')).stdout)).toMatchObject({ classification: 'nodata_fail' });
  });

  it('refuses bad input with exit 2, naming the file, line and field', async () => {
    const cases: Array<[string, string, string]> = [
      ['not-json.json', '{"canary": [1', 'invalid JSON'],
      ['string.json', '{"canary": [1, "x"], "baseline": [1]}', 'canary[1]'],
      ['direction.json', '{"canary": [1], "baseline": [1],\n "direction": "up"}', ':2:'],
      ['tolerance.json', '{"canary": [1], "baseline": [1], "tolerance": 1.5}', 'tolerance'],
      ['confidence.json', '{"canary": [1], "baseline": [1], "confidence": 1}', 'confidence'],
      ['effect.json', '{"canary": [1], "baseline": [1], "effectSize": {"measure": "cles", "allowedIncrease": 2}}', 'effectSize.allowedIncrease'],
      ['unknown.json', '{"canary": [1], "baseline": [1], "tolerence": 0.1}', "unknown key 'tolerence'"],
      ['missing.json', '{"canary": [1]}', 'baseline'],
    ];
    for (const [name, text, expected] of cases) {
      const result = await uf('analysis', 'judge', '--input', write(name, text));
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toContain(name);
      expect(result.stderr, name).toContain(expected);
    }
    const absent = await uf('analysis', 'judge', '--input', join(dir, 'absent.json'));
    expect(absent.code).toBe(2);
  });
});
