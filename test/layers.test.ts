import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The direction rule `npm run lint` enforces: scripts/check-layers.mjs with .dependency-cruiser.cjs
 * for the imports, and eslint.config.js for wall-clock reads. A fixture tree breaks each rule on
 * purpose and must be refused by name; then the real src/ must pass.
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const checkLayersScript = join(repo, 'scripts', 'check-layers.mjs');

interface Violation {
  rule: string;
  from: string;
  to: string;
  imports?: { from: string; to: string; example: string }[];
}

function checkLayers(cwd: string): Promise<{ code: number; violations: Violation[]; modules: number }> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [checkLayersScript, '--json'], { cwd }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (code !== 0 && code !== 1) return fail(new Error(`check-layers exited ${code}: ${stderr}`));
      const parsed = JSON.parse(stdout) as { violations: Violation[]; modules: number };
      done({ code, ...parsed });
    });
  });
}

/** Wall-clock findings of our ESLint configuration on `patterns`, run from `cwd`. */
async function wallClockReads(cwd: string, patterns: string[]): Promise<{ file: string; line: number; message: string }[]> {
  const eslint = new ESLint({ cwd, overrideConfigFile: join(repo, 'eslint.config.js'), ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-syntax' });
  const results = await eslint.lintFiles(patterns);
  return results.flatMap((r) =>
    r.messages.filter((m) => m.ruleId === 'no-restricted-syntax' && m.message.includes('wall clock')).map((m) => ({ file: r.filePath.slice(cwd.length + 1), line: m.line, message: m.message })),
  );
}

describe('the direction rule refuses each forbidden import and wall-clock read', { timeout: 120_000 }, () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'uf-layers-'));
    // core importing a front end (also: a lower layer importing a front end).
    write('src/core/a.ts', "import { b } from '../cli/b.js';\nexport const a = b + 1;\n");
    write('src/cli/b.ts', 'export const b = 1;\n');
    // A folder cycle x <-> y with no module cycle: x/p -> y/q and y/r -> x/s.
    write('src/x/p.ts', "import { q } from '../y/q.js';\nexport const p = q;\n");
    write('src/x/s.ts', 'export const s = 1;\n');
    write('src/y/q.ts', 'export const q = 1;\n');
    write('src/y/r.ts', "import { s } from '../x/s.js';\nexport const r = s;\n");
    // A stage importing a front end.
    write('src/intake/c.ts', "import type { Api } from '../api/d.js';\nexport type C = Api;\n");
    write('src/api/d.ts', 'export interface Api { url: string }\n');
    // The store importing a stage.
    write('src/store/e.ts', "import type { C } from '../intake/c.js';\nexport type E = C;\n");
    // Fine: a front end importing a stage, a stage importing the store and core.
    write('src/demo/f.ts', "import type { C } from '../intake/c.js';\nexport type F = C;\n");
    write('src/risk/g.ts', "import type { E } from '../store/e.js';\nimport { fixedClock } from '../core/clock.js';\nexport type G = E;\nexport const clock = fixedClock('2026-01-01T00:00:00Z');\n");
    // Test files are left out of the import rules: this one would break two of them.
    write('src/core/a.test.ts', "import { b } from '../cli/b.js';\nexport const t = b;\n");
    // Wall-clock reads: outside the clock (refused), inside it and in a test (allowed).
    write('src/traffic/t.ts', 'export const started = Date.now();\nexport const at = new Date();\nexport const fixed = new Date(0);\nexport const elapsed = performance.now();\n');
    write('src/core/clock.ts', 'export const systemClock = { now: () => new Date() };\nexport function fixedClock(at: string) {\n  return { now: () => new Date(at) };\n}\n');
    write('src/traffic/t.test.ts', 'export const now = Date.now();\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('check-layers names each broken import rule and exits 1', async () => {
    const { code, violations } = await checkLayers(root);
    expect(code).toBe(1);
    const pairs = violations.filter((v) => v.rule !== 'no-folder-cycle').map((v) => `${v.rule}: ${v.from} -> ${v.to}`);
    expect(pairs.sort()).toEqual(
      [
        'core-imports-nothing-else: src/core/a.ts -> src/cli/b.ts',
        'lower-layers-import-only-lower-layers: src/store/e.ts -> src/intake/c.ts',
        'only-front-ends-import-front-ends: src/core/a.ts -> src/cli/b.ts',
        'only-front-ends-import-front-ends: src/intake/c.ts -> src/api/d.ts',
      ].sort(),
    );
  });

  it('check-layers finds a cycle between top-level folders that is no module cycle', async () => {
    const { violations } = await checkLayers(root);
    const cycles = violations.filter((v) => v.rule === 'no-folder-cycle');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.from).toBe('x -> y -> x');
    expect(cycles[0]!.imports!.map((i) => i.example).sort()).toEqual(['src/x/p.ts -> src/y/q.ts', 'src/y/r.ts -> src/x/s.ts']);
  });

  it('ESLint refuses Date.now() and new Date() outside the clock, and allows them in the clock and in tests', async () => {
    const reads = await wallClockReads(root, ['src']);
    expect(reads.map((r) => `${r.file}:${r.line}`)).toEqual(['src/traffic/t.ts:1', 'src/traffic/t.ts:2']);
    expect(reads[0]!.message).toContain('src/core/clock.ts');
  });
});

// This one checks the real tree. It can only pass once issue 8's other moves are in (the store knowing no
// stage, the operation-log writer in the store, config free of intake and risk): before them, src/ has the
// store/audit/intake/catalog/config folder cycle and the store and config importing stages.
describe('the real src/', { timeout: 180_000 }, () => {
  it('keeps the direction rule: no folder cycle, core alone, only front ends import front ends, lower layers import no stage', async () => {
    const { violations, modules } = await checkLayers(repo);
    expect(modules).toBeGreaterThan(100);
    expect(violations.map((v) => `${v.rule}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it('reads the wall clock only through the Clock', async () => {
    expect((await wallClockReads(repo, ['src'])).map((r) => `${r.file}:${r.line}`)).toEqual([]);
  });
});
