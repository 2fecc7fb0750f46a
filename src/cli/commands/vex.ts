import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { UfError } from '../../core/errors.js';
import { importVex } from '../../intake/vex/import.js';
import { currentActor, withStore, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { printJson } from '../output.js';

export function registerVex(program: Command, runtime: CliRuntime): void {
  const vex = program.command('vex').description('VEX statements (CycloneDX VEX, OpenVEX) applied to findings');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  vex
    .command('import')
    .description('import VEX documents; not_affected (with a justification) and fixed close the findings they cover; exit 2 when a statement was refused')
    .argument('<files...>', 'CycloneDX VEX or OpenVEX JSON files')
    .option('--service <name>', 'the service the documents\' products are (when they name no PURL or service uf knows)')
    .option('--product-version <version>', 'the product version the service runs, for statements that list versions')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (files: string[], options: { service?: string; productVersion?: string; json?: boolean }) =>
        withStore(global(), async (store) => {
          const results = [];
          let code: 0 | 2 = 0;
          for (const file of files) {
            let text: string;
            try {
              text = readFileSync(file, 'utf8');
            } catch (error) {
              runtime.output.err(`uf: ${file}: cannot read: ${(error as Error).message}`);
              code = 2;
              continue;
            }
            try {
              const result = await importVex(store, {
                file,
                text,
                ...(options.service !== undefined ? { service: options.service } : {}),
                ...(options.productVersion !== undefined ? { productVersion: options.productVersion } : {}),
                actor: currentActor(),
                now: systemClock.now(),
              });
              results.push(result);
              for (const r of result.refused) runtime.output.err(`uf: ${file}: ${r.path}${r.vulnerability ? `: ${r.vulnerability}` : ''}: refused: ${r.reason}`);
              if (result.refused.length > 0) code = 2;
            } catch (error) {
              // One bad document does not stop the others; it is named and the exit says so.
              if (!(error instanceof UfError)) throw error;
              runtime.output.err(`uf: ${error.describe()}`);
              code = 2;
            }
          }
          if (options.json) printJson(runtime.output, results);
          else
            for (const r of results) {
              const closed = r.applied.filter((a) => a.status === 'not_affected' || a.status === 'fixed').length;
              runtime.output.out(`${r.file}: ${r.format}, ${r.statements} statements${r.unchanged ? ' (already imported, nothing changed)' : `, ${r.stored} stored`}, ${r.refused.length} refused, ${closed} findings closed, ${r.applied.length - closed} recorded on open findings`);
              for (const u of r.unmatched) runtime.output.out(`  note: ${u.path} ${u.vulnerability}: product ${u.product} ${u.why}`);
            }
          return code;
        }),
      ),
    );
}
