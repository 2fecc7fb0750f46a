import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PostgreSQL suites each get a schema of their own, so files run side by side. Vitest's default
    // (cores - 1) is one file at a time on a 2-core machine, and most files wait on sockets and child
    // processes more than on the CPU: two at a time took the suite from about 17 to 12.6 minutes there.
    fileParallelism: true,
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
