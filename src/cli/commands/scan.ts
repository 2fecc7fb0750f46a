import type { Command } from 'commander';
import { limitsFromEnv } from '../../core/input/index.js';
import { scanInventory } from '../../intake/scan/index.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

export function registerScan(program: Command, runtime: CliRuntime): void {
  program
    .command('scan')
    .description('match one inventory against OSV advisories, without a database; exit 1 when something is affected')
    .requiredOption('--inventory <file>', 'CycloneDX JSON, SPDX 2.3 JSON or npm package-lock')
    .requiredOption('--advisories <path>', 'OSV file, folder, all.zip export or URL')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { inventory: string; advisories: string; json?: boolean }) => {
        // No factory.yaml here: size limits come from UF_LIMIT_INVENTORY / UF_LIMIT_ADVISORY, else defaults.
        const result = await scanInventory(options.inventory, options.advisories, undefined, limitsFromEnv(process.env));
        for (const problem of result.advisories.problems) runtime.output.err(`uf: skipped: ${problem}`);
        if (options.json) {
          printJson(runtime.output, result);
        } else {
          runtime.output.out(`${result.inventory.file}: ${result.inventory.components} components (${result.inventory.format}) against ${result.advisories.read} advisories`);
          if (result.findings.length === 0) runtime.output.out('no known vulnerabilities');
          else {
            runtime.output.out(
              formatTable(
                ['PACKAGE', 'VERSION', 'ADVISORY', 'SEVERITY', 'FIXED IN', 'SUMMARY'],
                result.findings.map((f) => [f.name, f.version, f.advisory, f.severity.score !== undefined ? `${f.severity.score} ${f.severity.label}` : (f.severity.label ?? '-'), f.fixedIn.join(', ') || '-', f.summary.slice(0, 60)]),
              ),
            );
            runtime.output.out('\nfix:');
            for (const fix of result.fixes) runtime.output.out(`  ${fix.component} ${fix.currentVersions.join(', ')} -> ${fix.minimalFix ?? 'no fixed version known'}`);
          }
          for (const u of result.unsupportedEcosystems) runtime.output.out(`note: ${u.components} ${u.ecosystem} components not checked (no version scheme for ${u.ecosystem})`);
        }
        return result.findings.length > 0 ? 1 : 0;
      }),
    );
}
