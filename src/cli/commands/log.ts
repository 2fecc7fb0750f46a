import type { Command } from 'commander';
import { csvHeader, formatEntry, type ExportFormat } from '../../audit/export.js';
import { readLog, verifyLog } from '../../store/repos/operation-log.js';
import { UfError } from '../../core/errors.js';
import { withStore, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { printJson } from '../output.js';

export function registerLog(program: Command, runtime: CliRuntime): void {
  const log = program.command('log').description('the hash-chained operation log');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  log
    .command('verify')
    .description('check the hash chain; exit 1 naming the first broken entry')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (options: { json?: boolean }) =>
        withStore(global(), async (store) => {
          const report = await verifyLog(store.db);
          if (options.json) printJson(runtime.output, report);
          else if (report.ok) runtime.output.out(`ok: ${report.entries} entries, chain intact (head ${report.head?.hash.slice(0, 16) ?? 'empty'})`);
          else runtime.output.out(`BROKEN at entry ${report.firstBroken!.seq}: ${report.firstBroken!.detail}`);
          return report.ok ? 0 : 1;
        }, 'read'),
      ),
    );

  log
    .command('export')
    .description('write the log as JSON lines or CSV to stdout')
    .option('--format <format>', 'jsonl or csv', 'jsonl')
    .option('--subject <id>', 'only entries about this subject (an upgrade id, a service/environment)')
    .action(
      action(runtime, (options: { format: string; subject?: string }) => {
        if (options.format !== 'jsonl' && options.format !== 'csv') throw new UfError('usage', `--format must be jsonl or csv, not '${options.format}'`);
        const format: ExportFormat = options.format;
        return withStore(global(), async (store) => {
          if (format === 'csv') process.stdout.write(csvHeader());
          let entries = 0;
          for await (const entry of readLog(store.db, options.subject !== undefined ? { subject: options.subject } : {})) {
            entries++;
            if (!process.stdout.write(formatEntry(entry, format))) await new Promise((r) => process.stdout.once('drain', r));
          }
          // An unknown subject is not the same answer as "nothing happened": say so (exit 1, not found).
          if (options.subject !== undefined && entries === 0) throw new UfError('not_found', `--subject: no log entries about '${options.subject}'`);
          return 0;
        }, 'read');
      }),
    );
}
