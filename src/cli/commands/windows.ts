import type { Command } from 'commander';
import { UfError } from '../../core/errors.js';
import { checkService, findConflicts, listWindows, type WindowListing } from '../../governance/windows/service.js';
import type { Conflict, ScheduledChange, WindowVerdict } from '../../governance/windows/types.js';
import { serverClient } from '../client.js';
import { withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

type ServiceVerdict = WindowVerdict & { tier: string | null; tags: string[] };
interface ConflictReport {
  from: string;
  to: string;
  changes: ScheduledChange[];
  conflicts: Conflict[];
}

/** `uf windows`: change windows and freezes, a service's verdict, and conflicts among changes. */
export function registerWindows(program: Command, runtime: CliRuntime): void {
  const windows = program.command('windows').description('change windows, freezes and conflicts');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  windows
    .command('list')
    .description('the allow and deny windows with their next three starts, and the blackouts')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { json?: boolean }) => {
        const client = serverClient();
        const listing = client ? await client.call<WindowListing>('GET', '/api/v1/windows') : await withAppRoot(global(), async (root) => listWindows(root.loaded.config.windows, root.clock.now()), 'read');
        if (options.json) {
          printJson(runtime.output, listing);
          return 0;
        }
        const select = (s: WindowListing['windows'][number]['select']) => [...s.services, ...s.tiers.map((t) => `tier:${t}`), ...s.tags.map((t) => `tag:${t}`)].join(', ') || 'all services';
        runtime.output.out(`services without an allow window: ${listing.defaultAllow ? 'may change at any time' : 'may not change (defaultAllow: false)'}`);
        runtime.output.out(formatTable(['KIND', 'NAME', 'CRON', 'DURATION', 'TIME ZONE', 'SELECTS', 'NEXT START'], listing.windows.map((w) => [w.kind, w.name, w.cron, w.duration, w.timeZone, select(w.select), w.nextStarts[0] ?? 'never'])));
        if (listing.blackouts.length > 0) runtime.output.out(formatTable(['BLACKOUT', 'FROM', 'TO', 'TIME ZONE', 'SELECTS', 'ACTIVE'], listing.blackouts.map((b) => [b.name, b.from, b.to, b.timeZone, select(b.select), b.active ? 'yes' : 'no'])));
        return 0;
      }),
    );

  windows
    .command('check')
    .description('whether a service may change now (or --at), which windows say so, and when that changes; exit 1 when it may not')
    .argument('<service>', 'catalog name of the service')
    .option('--at <instant>', 'an ISO-8601 instant, e.g. 2026-03-29T01:30:00Z (default: now)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (service: string, options: { at?: string; json?: boolean }) => {
        const at = options.at === undefined ? undefined : instant(options.at, '--at');
        const client = serverClient();
        const verdict = client
          ? await client.call<ServiceVerdict>('GET', `/api/v1/windows/services/${encodeURIComponent(service)}${at ? `?at=${encodeURIComponent(at.toISOString())}` : ''}`)
          : await withAppRoot(global(), (root) => checkService({ db: root.store.db, section: root.loaded.config.windows }, service, at ?? root.clock.now()), 'read');
        if (options.json) printJson(runtime.output, verdict);
        else {
          runtime.output.out(`${verdict.open ? 'OPEN' : 'CLOSED'} at ${verdict.at}: ${verdict.reason}`);
          for (const hit of verdict.hits) runtime.output.out(`  ${hit.kind} ${hit.name}: ${hit.from} → ${hit.until}${hit.reason ? ` (${hit.reason})` : ''}`);
        }
        return verdict.open ? 0 : 1;
      }),
    );

  windows
    .command('conflicts')
    .description('conflicts among planned changes and running rollouts: same service, dependency, outside a window, inside a blackout; exit 1 when there is one')
    .option('--from <instant>', 'start of the period (default: now)')
    .option('--to <instant>', 'end of the period (default: 30 days after --from)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { from?: string; to?: string; json?: boolean }) => {
        const from = options.from === undefined ? undefined : instant(options.from, '--from');
        const to = options.to === undefined ? undefined : instant(options.to, '--to');
        const client = serverClient();
        const report = client
          ? await client.call<ConflictReport>('GET', `/api/v1/windows/conflicts?${new URLSearchParams({ ...(from ? { from: from.toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}) })}`)
          : await withAppRoot(
              global(),
              async (root) => {
                const now = root.clock.now();
                const start = from ?? now;
                return findConflicts({ db: root.store.db, section: root.loaded.config.windows }, { from: start, to: to ?? new Date(start.getTime() + 30 * 86_400_000) }, now);
              },
              'read',
            );
        if (options.json) printJson(runtime.output, report);
        else if (report.conflicts.length === 0) runtime.output.out(`no conflicts among ${report.changes.length} changes between ${report.from} and ${report.to}`);
        else runtime.output.out(formatTable(['KIND', 'CHANGES', 'SERVICES', 'FROM', 'TO', 'WHY'], report.conflicts.map((c) => [c.kind, c.changes.join(' '), c.services.join(', '), c.from, c.to, c.text])));
        return report.conflicts.length > 0 ? 1 : 0;
      }),
    );
}

function instant(text: string, option: string): Date {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}(T|$)/.test(text) || Number.isNaN(ms)) throw new UfError('usage', `${option} '${text}' is not an ISO-8601 instant such as 2026-03-29T01:30:00Z`, { path: option });
  return new Date(ms);
}
