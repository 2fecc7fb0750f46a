import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { UfError } from '../../core/errors.js';
import { checkKnown } from '../../core/known-names.js';
import { describeRefusal, parseIncidentFile, type IncidentFileFormat } from '../../verify/incidents/parse-file.js';
import { recordIncidents } from '../../verify/incidents/service.js';
import { listIncidents } from '../../verify/incidents/store.js';
import type { Incident } from '../../verify/incidents/types.js';
import { serverClient } from '../client.js';
import { currentActor, withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

/** `uf incidents`: import incident exports and list incidents with the change each is linked to. */
export function registerIncidents(program: Command, runtime: CliRuntime): void {
  const incidents = program.command('incidents').description('incidents from files and PagerDuty/Opsgenie webhooks, linked to the changes that preceded them');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  incidents
    .command('import')
    .description('import incidents from a CSV or JSON file; refused records are named (file, line or record, field) and the rest are stored; exit 2 when some were refused')
    .argument('<file>')
    .option('--format <format>', 'csv or json (default: from the file extension)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (file: string, options: { format?: string; json?: boolean }) => {
        const format = (options.format ?? extname(file).slice(1).toLowerCase()) as IncidentFileFormat;
        checkKnown('format', '--format', format, ['csv', 'json'], 'usage');
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          throw new UfError('usage', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file });
        }
        const parsed = parseIncidentFile(text, file, format);
        const recorded = parsed.accepted.length ? await withAppRoot(global(), (root) => recordIncidents({ store: root.store, settings: root.loaded.config.incidents }, parsed.accepted, currentActor())) : [];
        if (options.json) printJson(runtime.output, { recorded: recorded.map((r) => ({ outcome: r.outcome, incident: r.incident })), refused: parsed.refused });
        else {
          const created = recorded.filter((r) => r.outcome === 'created').length;
          runtime.output.out(`${file}: ${created} incidents recorded, ${recorded.length - created} updated, ${parsed.refused.length ? `${new Set(parsed.refused.map((r) => r.record)).size} refused` : 'none refused'}`);
          for (const r of recorded) runtime.output.out(`  ${r.incident.id}: ${linkText(r.incident)}`);
          for (const r of parsed.refused) runtime.output.err(describeRefusal(r));
        }
        return parsed.refused.length ? 2 : 0;
      }),
    );

  incidents
    .command('list')
    .description('incidents by start time, with their service, severity and linked change')
    .option('--service <name>')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { service?: string; json?: boolean }) => {
        const client = serverClient();
        const items = client
          ? (await client.call<{ items: Incident[] }>('GET', `/api/v1/incidents${options.service ? `?service=${encodeURIComponent(options.service)}` : ''}`)).items
          : await withAppRoot(global(), (root) => listIncidents(root.store.db, options.service ? { service: options.service } : {}), 'read');
        if (options.json) printJson(runtime.output, items);
        else
          runtime.output.out(
            formatTable(
              ['INCIDENT', 'SEVERITY', 'SERVICE', 'STARTED', 'RESOLVED', 'LINKED', 'TITLE'],
              items.map((i) => [i.id, i.severity, i.service === null ? '-' : i.serviceKnown ? i.service : `${i.service} (not in catalog)`, i.startedAt, i.resolvedAt ?? 'open', i.link ? `${i.link.upgradeId} (${i.link.kind})` : '-', i.title]),
            ),
          );
        return 0;
      }),
    );
}

function linkText(i: Incident): string {
  const service = i.service === null ? 'no service' : i.serviceKnown ? i.service : `${i.service} (not in the service map)`;
  return `${i.severity} ${service}; ${i.link ? `linked to ${i.link.upgradeId}: ${i.link.reason}` : `not linked: ${i.unlinkedReason ?? ''}`}`;
}
