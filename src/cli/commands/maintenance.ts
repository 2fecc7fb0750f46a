import type { Command } from 'commander';
import { maintenanceFeed, noteTemplates } from '../../app/notifications.js';
import { checkKnown } from '../../core/known-names.js';
import { maintenanceNote } from '../../governance/maintenance/note.js';
import { renderHtml, renderMarkdown } from '../../governance/maintenance/render.js';
import { withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { printJson } from '../output.js';

const formats = ['md', 'html', 'json'] as const;

/** `uf maintenance`: customer-facing maintenance notes and the status page's Atom feed. */
export function registerMaintenance(program: Command, runtime: CliRuntime): void {
  const maintenance = program.command('maintenance').description('customer-facing maintenance notes (Markdown, HTML) and their Atom feed');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  maintenance
    .command('note')
    .description("the maintenance note of an upgrade's change on customer-facing services; exit 1 when it touches none")
    .argument('<upgrade>', 'upgrade id, or the id of its change')
    .option('--format <format>', `${formats.join(', ')}`, 'md')
    .action(
      action(runtime, async (id: string, options: { format: string }) => {
        checkKnown('format', '--format', options.format, formats, 'usage');
        const { note, templates } = await withAppRoot(global(), async (root) => ({ note: await maintenanceNote(root.store.db, root.loaded.config.maintenance, id), templates: noteTemplates(root.loaded) }), 'read');
        if (options.format === 'json') printJson(runtime.output, note);
        else runtime.output.out((options.format === 'html' ? renderHtml(note, templates) : renderMarkdown(note, templates)).trimEnd());
        return 0;
      }),
    );

  maintenance
    .command('feed')
    .description('the Atom 1.0 feed of maintenance on customer-facing services, for a status page')
    .action(
      action(runtime, async () => {
        runtime.output.out((await withAppRoot(global(), (root) => maintenanceFeed(root), 'read')).trimEnd());
        return 0;
      }),
    );
}
