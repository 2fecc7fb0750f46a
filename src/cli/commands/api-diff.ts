import type { Command } from 'commander';
import { diffOpenApi, loadOpenApiFile, summarize, type ApiChange } from '../../compat/checks/openapi-diff/index.js';
import { systemClock } from '../../core/clock.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable } from '../output.js';

/**
 * `uf api-diff OLD NEW [--json]`: the contract changes between two OpenAPI documents, with
 * oasdiff's ids and levels. Exit 0 when nothing breaks clients, 1 when something does, 2 when a
 * document cannot be read (file and line on stderr).
 */
export function registerApiDiff(program: Command, runtime: CliRuntime): void {
  program
    .command('api-diff')
    .description('compare two OpenAPI 3.0/3.1 documents; exit 1 when a change breaks clients, 2 for an invalid document')
    .argument('<old>', 'the OpenAPI document clients were written against (YAML or JSON)')
    .argument('<new>', 'the OpenAPI document of the new version')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (oldFile: string, newFile: string, options: { json?: boolean }) => {
        const [before, after] = await Promise.all([loadOpenApiFile(oldFile), loadOpenApiFile(newFile)]);
        const changes = diffOpenApi(before, after, { today: systemClock.now().toISOString().slice(0, 10) });
        const counts = summarize(changes);
        runtime.output.out(options.json === true ? JSON.stringify({ old: oldFile, new: newFile, counts, changes }, null, 2) : formatChanges(changes, counts));
        return counts.breaking > 0 ? 1 : 0;
      }),
    );
}

/** A table of changes (breaking first) and a one-line summary. */
export function formatChanges(changes: readonly ApiChange[], counts: { breaking: number; warning: number; info: number }): string {
  const order = { breaking: 0, warning: 1, info: 2 };
  const rows = [...changes].sort((a, b) => order[a.level] - order[b.level]).map((c) => [c.level, c.id, `${c.operation} ${c.path}`.trim() || '(document)', c.text]);
  const summary = `${changes.length} change(s): ${counts.breaking} breaking, ${counts.warning} warning, ${counts.info} info`;
  return rows.length === 0 ? 'no changes' : `${formatTable(['LEVEL', 'ID', 'OPERATION', 'CHANGE'], rows)}\n\n${summary}`;
}
