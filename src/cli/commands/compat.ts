import type { Command } from 'commander';
import { compatMatrix, runCompatWorker, settleFinishedRuns, startCompatRun, waiveCell } from '../../app/compat.js';
import type { AppRoot } from '../../app/root.js';
import type { MatrixView } from '../../compat/matrix.js';
import { checkKnown } from '../../core/known-names.js';
import { roles, type Role } from '../../core/roles.js';
import { currentActor, withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../runtime.js';
import { printJson } from '../output.js';
import { formatMatrix, formatCellLine } from './compat-format.js';

/**
 * `uf compat run|show|waive`: the compatibility matrix of an upgrade. `run` queues the cells and
 * works them off in this process (unless `--queue-only`, when `uf worker` processes elsewhere
 * take them), showing the matrix as it fills. Exit 0 when the gate opens, 1 when a required cell
 * keeps it closed, 2 for bad input.
 */
export function registerCompat(program: Command, runtime: CliRuntime): void {
  const compat = program.command('compat').description('the compatibility matrix: consumers × checks, gating the canary');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  compat
    .command('run')
    .description('plan and run the matrix of an upgrade in compat, showing it fill in live')
    .argument('<upgrade>', 'upgrade id')
    .option('--workers <n>', 'checks run at once in this process', '2')
    .option('--queue-only', 'only queue the cells (uf worker processes sharing the store run them) and follow them')
    .option('--no-follow', 'return once queued (with --queue-only)')
    .option('--json', 'print the finished matrix as JSON')
    .action(
      action(runtime, (upgradeId: string, options: { workers: string; queueOnly?: boolean; follow: boolean; json?: boolean }) => {
        const workers = Number(options.workers);
        if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
          runtime.output.err('uf: --workers: expected a whole number from 1 to 64');
          return Promise.resolve(2);
        }
        return withAppRoot(global(), async (root) => {
          const { run, problems } = await startCompatRun(root, upgradeId, currentActor());
          for (const problem of problems) runtime.output.err(`uf: ${problem}`);
          if (!options.json) runtime.output.out(`matrix run ${run.id}: ${run.plan.consumers.length} consumers × ${run.plan.checks.length} checks, ${run.plan.cells.length} cells queued`);
          if (options.queueOnly && !options.follow) return problems.length > 0 ? 2 : 0;
          const view = await follow(root, runtime, upgradeId, run.id, { local: !options.queueOnly, workers, json: options.json === true });
          if (options.json) printJson(runtime.output, view);
          else runtime.output.out(`\n${formatMatrix(view)}`);
          if (problems.length > 0) return 2;
          return view.verdict === 'pass' ? 0 : 1;
        });
      }),
    );

  compat
    .command('show')
    .description('print the latest matrix of an upgrade (or a given run): every cell with its evidence summary')
    .argument('<upgrade>', 'upgrade id')
    .option('--run <id>', 'an earlier run')
    .option('--json', 'machine-readable output, with each cell’s evidence')
    .action(
      action(runtime, (upgradeId: string, options: { run?: string; json?: boolean }) =>
        withAppRoot(
          global(),
          async (root) => {
            const view = await compatMatrix(root, upgradeId, options.run);
            if (options.json) printJson(runtime.output, view);
            else runtime.output.out(formatMatrix(view));
            return view.verdict === 'pass' ? 0 : 1;
          },
          'read',
        ),
      ),
    );

  compat
    .command('waive')
    .description('waive a failed cell of the latest matrix: needs a role from compat.waiverRoles and a reason; logged')
    .argument('<upgrade>', 'upgrade id')
    .argument('<consumer>', 'row id (a service, or service/extension)')
    .argument('<check>', 'column id')
    .requiredOption('--role <role>', `the role you waive as (${roles.join(', ')})`)
    .requiredOption('--reason <text>', 'why the failure is acceptable (kept in the operation log)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (upgradeId: string, consumerId: string, checkId: string, options: { role: string; reason: string; json?: boolean }) => {
        checkKnown('role', '--role', options.role, roles, 'usage');
        return withAppRoot(global(), async (root) => {
          const { waiver, matrix } = await waiveCell(root, { upgradeId, consumerId, checkId, role: options.role as Role, reason: options.reason, actor: currentActor() });
          if (options.json) printJson(runtime.output, { waiver, matrix });
          else runtime.output.out(`waived ${consumerId} × ${checkId} as ${waiver.role} (${waiver.id})\n\n${formatMatrix(matrix)}`);
          return 0;
        });
      }),
    );
}

/** Runs (or waits for) the run's cells, printing each as it is stored; returns the finished matrix. */
async function follow(root: AppRoot, runtime: CliRuntime, upgradeId: string, runId: string, options: { local: boolean; workers: number; json: boolean }): Promise<MatrixView> {
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  const printed = new Set<string>();
  const tty = process.stdout.isTTY === true && !options.json;
  const show = async () => {
    const view = await compatMatrix(root, upgradeId, runId);
    if (options.json) return view;
    if (tty) runtime.output.out(`\x1b[2J\x1b[H${formatMatrix(view)}`);
    else {
      for (const [consumerId, row] of Object.entries(view.cells)) {
        for (const [checkId, cell] of Object.entries(row)) {
          if (cell.state !== 'result' || printed.has(`${consumerId}\u0000${checkId}`)) continue;
          printed.add(`${consumerId}\u0000${checkId}`);
          runtime.output.out(formatCellLine(consumerId, checkId, cell));
        }
      }
    }
    return view;
  };
  const unsubscribe = root.events.subscribe((event) => {
    if (event.type === 'compat.updated' && event.runId === runId) void show();
  });
  try {
    if (options.local) {
      await runCompatWorker(root, { signal: controller.signal, concurrency: options.workers, exitWhenIdle: true, label: 'uf-compat-run' });
    }
    // Workers elsewhere (or a cell still leased by a stopped worker) finish the rest: follow the store.
    for (;;) {
      await settleFinishedRuns(root);
      const view = await show();
      if (view.runStatus !== 'running' || controller.signal.aborted) return view;
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (options.local) await runCompatWorker(root, { signal: controller.signal, concurrency: options.workers, exitWhenIdle: true, label: 'uf-compat-run' });
    }
  } finally {
    unsubscribe();
    process.off('SIGINT', interrupt);
  }
}
