import type { Command } from 'commander';
import { runCompatWorker, settleFinishedRuns } from '../../app/compat.js';
import { withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../runtime.js';

/**
 * `uf worker`: takes the compatibility matrix's jobs from the store's queue and runs them until
 * SIGINT or SIGTERM (then gives its running jobs back to the queue and exits 0). Any number of
 * workers, on any machine sharing the PostgreSQL store; each job is held under a lease, so a worker
 * that dies mid-check only delays that cell until the lease expires and another worker takes it.
 */
export function registerWorker(program: Command, runtime: CliRuntime): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  program
    .command('worker')
    .description('take compatibility checks from the store’s queue and run them (any number, on any machine sharing the store)')
    .option('--concurrency <n>', 'checks run at once', '1')
    .option('--once', 'exit when the queue is empty')
    .action(
      action(runtime, (options: { concurrency: string; once?: boolean }) => {
        const concurrency = Number(options.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
          runtime.output.err('uf: --concurrency: expected a whole number from 1 to 64');
          return Promise.resolve(2);
        }
        return withAppRoot(global(), async (root) => {
          const controller = new AbortController();
          const stop = () => controller.abort(new Error('stopped by signal'));
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          try {
            await settleFinishedRuns(root);
            root.logger.info({ concurrency, store: root.store.location }, 'worker started');
            const stats = await runCompatWorker(root, { signal: controller.signal, concurrency, ...(options.once ? { exitWhenIdle: true } : {}), label: 'uf-worker' });
            root.logger.info(stats, 'worker stopped');
            return 0;
          } finally {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
          }
        });
      }),
    );
}
