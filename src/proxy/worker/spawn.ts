import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { applyRouterFlagsToNewThreads } from '../heap.js';

/**
 * Starts the router worker thread. Built (`dist/`), the entry is plain JavaScript. From source
 * (tests, `tsx`), a worker does not inherit the TypeScript loader, so a one-line bootstrap
 * registers tsx in the thread before importing the entry. The thread's heap takes the router's
 * V8 flags (see heap.ts).
 */
export function spawnRouterWorker(options: WorkerOptions): Worker {
  applyRouterFlagsToNewThreads();
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./entry.js', here), options);
  const tsxApi = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./entry.ts', here).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
