import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBenchFactory, runDirect, runQueue, type BenchFactory } from '../bench/compat/matrix.js';
import { postgresSkipReason, postgresUrl } from './helpers/stores.js';

// Guards bench/compat.ts against rot at a tiny size: real `uf worker --once` processes (built
// bin/uf.js; npm test builds first) must drain the queued matrix with every cell passing, and the
// direct reference must run the same commands. No timing is asserted; the bench prints its figures.

const targets = [
  { name: 'sqlite', skip: false, target: { kind: 'sqlite' as const }, workers: 1 },
  { name: 'postgres', skip: postgresUrl === undefined, target: { kind: 'postgres' as const, url: postgresUrl ?? '' }, workers: 2 },
];

for (const { name, skip, target, workers } of targets) {
  describe.skipIf(skip)(`compat bench core (${name})${skip ? `: ${postgresSkipReason}` : ''}`, () => {
    let factory: BenchFactory | undefined;
    let dir: string | undefined;
    afterEach(async () => {
      await factory?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      factory = undefined;
      dir = undefined;
    });

    it(`drains a 10-cell matrix with ${workers} uf worker process(es), every cell passing, and measures their CPU`, async () => {
      dir = mkdtempSync(join(tmpdir(), 'uf-bench-compat-test-'));
      factory = await openBenchFactory(dir, target);
      const result = await runQueue(factory, { cells: 10, workers, label: 'smoke' });
      expect(result.verdict).toBe('pass');
      expect(result.perWorker.reduce((a, b) => a + b, 0)).toBe(10);
      expect(result.perWorker.length).toBeLessThanOrEqual(workers);
      expect(result.windowMs).toBeGreaterThanOrEqual(0);
      expect(result.wallMs).toBeGreaterThan(result.windowMs);
      // Each worker reported its own CPU at exit (node start-up alone is well over a millisecond).
      expect(result.workerCpuMicros).toBeGreaterThan(1000 * workers);
      await expect(runQueue(factory, { cells: 7, workers: 1, label: 'odd' })).rejects.toThrow(/multiple of 5/);
    }, 30_000);
  });
}

describe('compat bench reference', () => {
  it('spawns the same commands directly, two at a time', async () => {
    const result = await runDirect(10, 2);
    expect(result).toMatchObject({ cells: 10, concurrency: 2 });
    expect(result.wallMs).toBeGreaterThan(0);
  });
});
