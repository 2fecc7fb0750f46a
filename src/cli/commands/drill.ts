import type { Command } from 'commander';
import { drillRouters, runServiceDrill } from '../../app/drills.js';
import { acknowledgeNotes, upgradeNotes } from '../../app/guards.js';
import { UfError } from '../../core/errors.js';
import { checkKnown } from '../../core/known-names.js';
import { roles, type Role } from '../../core/roles.js';
import { listDrills } from '../../governance/drills/store.js';
import type { StoredDrill } from '../../governance/drills/types.js';
import { describeStatus, type NotesChange, type NotesView } from '../../governance/guards/notes.js';
import { serverClient } from '../client.js';
import { currentActor, withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

/**
 * `uf drill`: rollback drills through a router (the rollbackDrill guard asks for a
 * passing one before a production canary). Through UF_SERVER the server runs the drill.
 */
export function registerDrill(program: Command, runtime: CliRuntime): void {
  const drill = program.command('drill').description("rollback drills: a canary through the service's router (or a built-in one stood up for it), rolled back, timed and verified");
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  drill
    .command('run')
    .description('run a real rollback drill of SERVICE in staging: traffic to a canary, roll back, verify stable answers, time it; exit 1 when it fails')
    .argument('<service>')
    .option('--router <kind>', `builtin (a built-in router stood up for the drill) or configured (the service's router in factory.yaml: HAProxy, nginx, built-in): ${drillRouters.join(', ')}`, 'builtin')
    .option('--stable <url>', "the service's staging endpoint of the stable version (with --canary); two local backends when absent (builtin only)")
    .option('--canary <url>', "the service's staging endpoint of the canary version (with --stable)")
    .option('--through <url>', "--router configured: where the service's traffic enters its router")
    .option('--weight <pct>', 'canary weight before the rollback', '50')
    .option('--requests <n>', 'requests stable must answer after the rollback', '50')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (service: string, options: { router: string; stable?: string; canary?: string; through?: string; weight: string; requests: string; json?: boolean }) => {
        const body = {
          service,
          router: options.router,
          ...(options.stable !== undefined ? { stable: options.stable } : {}),
          ...(options.canary !== undefined ? { canary: options.canary } : {}),
          ...(options.through !== undefined ? { through: options.through } : {}),
          weight: wholeNumber(options.weight, '--weight'),
          requests: wholeNumber(options.requests, '--requests'),
        };
        const client = serverClient();
        const result = client
          ? await client.call<StoredDrill>('POST', '/api/v1/drills', body)
          : await withAppRoot(global(), (root) => runServiceDrill(root, { ...body, verifyRequests: body.requests, actor: currentActor() }));
        if (options.json) printJson(runtime.output, result);
        else runtime.output.out(formatDrill(result));
        return result.outcome === 'pass' ? 0 : 1;
      }),
    );

  drill
    .command('list')
    .description('drills, newest first, of one service when named')
    .argument('[service]')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (service: string | undefined, options: { json?: boolean }) => {
        const client = serverClient();
        const items = client
          ? (await client.call<{ items: StoredDrill[] }>('GET', `/api/v1/drills${service ? `?service=${encodeURIComponent(service)}` : ''}`)).items
          : await withAppRoot(global(), (root) => listDrills(root.store.db, service !== undefined ? { service } : {}), 'read');
        if (options.json) printJson(runtime.output, items);
        else runtime.output.out(formatTable(['DRILL', 'SERVICE', 'OUTCOME', 'ROLLBACK', 'BY', 'FINISHED'], items.map((d) => [d.id, d.service, d.outcome, d.rollbackMs === null ? '-' : `${d.rollbackMs} ms`, d.actor, d.finishedAt])));
        return 0;
      }),
    );
}

/** `uf upgrades notes` and `uf upgrades ack-notes`, added to the upgrades command. */
export function registerUpgradeNotes(upgrades: Command, program: Command, runtime: CliRuntime): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const path = (id: string, rest = '') => `/api/v1/upgrades/${encodeURIComponent(id)}/notes${rest}`;
  const print = (view: NotesView, json?: boolean): number => {
    if (json) printJson(runtime.output, view);
    else runtime.output.out(formatNotes(view));
    return 0;
  };

  upgrades
    .command('notes')
    .description('the release notes intake parsed for an upgrade: breaking changes and required migrations first; "unknown" when there are none')
    .argument('<upgrade>')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (id: string, options: { json?: boolean }) => {
        const client = serverClient();
        return print(client ? await client.call<NotesView>('GET', path(id)) : await withAppRoot(global(), (root) => upgradeNotes(root, id), 'read'), options.json);
      }),
    );

  upgrades
    .command('ack-notes')
    .description("acknowledge an upgrade's release notes as an owner of one of its services (or an admin): compat can start")
    .argument('<upgrade>')
    .option('--role <role>', `the role you act as on a local store (the server takes it from the token): ${roles.join(', ')}`, 'service-owner')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (id: string, options: { role: string; json?: boolean }) => {
        checkKnown('role', '--role', options.role, roles, 'usage');
        const client = serverClient();
        return print(
          client ? await client.call<NotesView>('POST', path(id, '/ack'), {}) : await withAppRoot(global(), (root) => acknowledgeNotes(root, id, { actor: currentActor(), roles: [options.role as Role] })),
          options.json,
        );
      }),
    );
}

function wholeNumber(text: string, option: string): number {
  if (!/^\d+$/.test(text)) throw new UfError('usage', `${option} must be a whole number, not '${text}'`, { path: option });
  return Number(text);
}

function formatDrill(d: StoredDrill): string {
  const lines = [`${d.id} ${d.service}: ${d.outcome}${d.rollbackMs !== null ? `, rolled back in ${d.rollbackMs} ms` : ''}`, `  ${d.summary}`];
  for (const phase of d.report.phases) lines.push(`  ${phase.name} (canary ${phase.weight}%): ${Object.entries(phase.answers).map(([v, n]) => `${v} × ${n}`).join(', ')}`);
  return lines.join('\n');
}

function formatNotes(view: NotesView): string {
  const lines = [`${view.upgradeId} ${view.component} ${view.fromVersions.join(', ')} -> ${view.targetVersion}: ${describeStatus(view)}`];
  const section = (title: string, list: NotesChange[] | null) => {
    if (list === null) lines.push(`${title}: unknown`);
    else if (list.length === 0) lines.push(`${title}: none listed`);
    else lines.push(`${title}:`, ...list.map((c) => `  ${c.version} ${c.text}`));
  };
  section('breaking changes', view.breaking);
  section('required migrations', view.migrations);
  section('deprecations', view.deprecations);
  section('security fixes', view.securityFixes);
  if (view.unknownBecause) lines.push(`unknown: ${view.unknownBecause}`);
  const ack = view.acknowledged;
  lines.push(ack ? `acknowledged by ${ack.actor} (${ack.standing}) at ${ack.at}${ack.current ? '' : ' — of earlier notes: acknowledge again'}` : `not acknowledged: uf upgrades ack-notes ${view.upgradeId}`);
  return lines.join('\n');
}
