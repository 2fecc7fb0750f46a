import type { Command } from 'commander';
import { formatCvss, parseCvss } from '../../risk/index.js';
import { action, type CliRuntime } from '../main.js';

export function registerCvss(program: Command, runtime: CliRuntime): void {
  program
    .command('cvss')
    .description('CVSS v3.0, v3.1 or v4.0 vector: version, base score, severity')
    .argument('<vector>', 'e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (vector: string, options: { json?: boolean }) => {
        runtime.output.out(formatCvss(parseCvss(vector), options.json === true));
        return 0;
      }),
    );
}
