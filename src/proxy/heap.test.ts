import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { applyRouterFlagsToNewThreads } from './heap.js';

/** The young generation's size of a fresh worker thread, in bytes. */
function youngGenerationOfNewThread(): Promise<number> {
  const code = "const v8 = require('node:v8'); require('node:worker_threads').parentPort.postMessage(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)";
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', (size: number) => void worker.terminate().then(() => resolve(size)));
    worker.once('error', reject);
  });
}

describe('router V8 flags', () => {
  it('give threads started afterwards a young generation of at least 16 MB (1-2 MB by default)', async () => {
    applyRouterFlagsToNewThreads();
    expect(await youngGenerationOfNewThread()).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  });
});
