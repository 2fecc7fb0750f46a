import type { Command } from 'commander';
import { changeDeps } from '../../app/changes.js';
import { UfError } from '../../core/errors.js';
import { checkKnown } from '../../core/known-names.js';
import { roles, type Role } from '../../core/roles.js';
import { changeView, decideChange, editChange, openChange, reviewChange, viewOf, type ChangeEdit, type ChangeView } from '../../governance/changes/service.js';
import { listChanges } from '../../governance/changes/store.js';
import { serverClient } from '../client.js';
import { currentActor, withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `uf change`: the change record each upgrade gets when it enters compat. On a local store the
 * CLI acts as UF_ACTOR and trusts --role; with UF_SERVER and UF_TOKEN the server decides both.
 */
export function registerChange(program: Command, runtime: CliRuntime): void {
  const change = program.command('change').description('change records: ITSM fields, approvals, the change board, post-hoc reviews');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const local = <T>(fn: (deps: ReturnType<typeof changeDeps>) => Promise<T>) => withAppRoot(global(), (root) => fn(changeDeps(root)));
  const print = (view: ChangeView, json?: boolean): number => {
    if (json) printJson(runtime.output, view);
    else runtime.output.out(formatChange(view));
    return 0;
  };
  const path = (id: string, rest = '') => `/api/v1/changes/${encodeURIComponent(id)}${rest}`;

  change
    .command('list')
    .description('change records whose planned interval overlaps --from/--to, earliest first')
    .option('--from <instant>')
    .option('--to <instant>')
    .option('--overdue', 'only emergency changes whose post-hoc review is overdue; exit 1 when there is one')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { from?: string; to?: string; overdue?: boolean; json?: boolean }) => {
        const client = serverClient();
        const query = new URLSearchParams({ ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}), ...(options.overdue ? { overdue: 'true' } : {}) });
        let items = client
          ? (await client.call<{ items: ChangeView[] }>('GET', `/api/v1/changes?${query}`)).items
          : await local(async (deps) => Promise.all((await listChanges(deps.store.db, { ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) })).map((c) => viewOf(deps, c))));
        if (options.overdue) items = items.filter((c) => c.reviewOverdue);
        if (options.json) printJson(runtime.output, items);
        else
          runtime.output.out(
            formatTable(
              ['CHANGE', 'UPGRADE', 'CLASS', 'STATUS', 'APPROVALS', 'RISK', 'PLANNED', 'REVIEW'],
              items.map((c) => [c.id, c.upgradeId, c.changeClass, c.status, `${c.approvalsGiven}/${c.rule.count}${c.rule.board ? ' board' : ''}`, c.fields.risk?.score ?? 'unknown', `${c.plannedStart} → ${c.plannedEnd}`, reviewText(c)]),
            ),
          );
        return options.overdue && items.length > 0 ? 1 : 0;
      }),
    );

  change
    .command('show')
    .description('one change record with its approvals')
    .argument('<id>', 'change id, or the id of its upgrade')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (id: string, options: { json?: boolean }) => {
        const client = serverClient();
        return print(client ? await client.call<ChangeView>('GET', path(id)) : await local((deps) => changeView(deps, id)), options.json);
      }),
    );

  change
    .command('open')
    .description('open the change record of an upgrade in compat (entering compat does it; this is for older upgrades)')
    .argument('<upgrade>')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (upgradeId: string, options: { json?: boolean }) => {
        const client = serverClient();
        return print(client ? await client.call<ChangeView>('POST', '/api/v1/changes', { upgradeId }) : await local((deps) => openChange(deps, upgradeId, currentActor())), options.json);
      }),
    );

  for (const decision of ['approve', 'reject'] as const) {
    change
      .command(decision)
      .description(decision === 'approve' ? 'approve a change (never its requester or implementer; the board when its risk needs it)' : 'reject a change: its canary gate stays closed until its scope is edited and approved again')
      .argument('<id>', 'change id, or the id of its upgrade')
      .option('--reason <text>', decision === 'reject' ? 'why (required)' : 'why; recorded in the operation log')
      .option('--scope <digest>', 'the scopeDigest you read (uf change show): refused if the scope changed since')
      .option('--role <role>', `the role you act as on a local store (the server takes it from the token): ${roles.join(', ')}`, 'approver')
      .option('--json', 'machine-readable output')
      .action(
        action(runtime, async (id: string, options: { reason?: string; scope?: string; role: string; json?: boolean }) => {
          checkKnown('role', '--role', options.role, roles, 'usage');
          if (decision === 'reject' && !options.reason) throw new UfError('usage', 'a rejection needs --reason');
          const body = { ...(options.reason ? { reason: options.reason } : {}), ...(options.scope ? { scopeDigest: options.scope } : {}) };
          const client = serverClient();
          const view = client
            ? await client.call<ChangeView>('POST', path(id, `/${decision}`), body)
            : await local((deps) => decideChange(deps, id, { by: currentActor(), roles: [options.role as Role], decision, ...body }));
          return print(view, options.json);
        }),
      );
  }

  change
    .command('edit')
    .description("edit a change's fields; editing its scope (services, plans, planned times) voids its approvals")
    .argument('<id>', 'change id, or the id of its upgrade')
    .option('--justification <text>')
    .option('--implementation-plan <text>')
    .option('--backout-plan <text>')
    .option('--backout-time <duration>', 'e.g. 20m')
    .option('--test-plan <text>')
    .option('--affected-service <name>', 'repeatable: replaces the affected services', collect, [])
    .option('--planned-start <instant>', 'ISO-8601, e.g. 2026-12-05T22:00:00Z')
    .option('--planned-end <instant>')
    .option('--implementer <who>', 'who implements it (user:NAME); never one of its approvers')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (id: string, o: { justification?: string; implementationPlan?: string; backoutPlan?: string; backoutTime?: string; testPlan?: string; affectedService: string[]; plannedStart?: string; plannedEnd?: string; implementer?: string; json?: boolean }) => {
        const edit: ChangeEdit = {
          ...(o.justification ? { justification: o.justification } : {}),
          ...(o.implementationPlan ? { implementationPlan: o.implementationPlan } : {}),
          ...(o.backoutPlan ? { backoutPlan: o.backoutPlan } : {}),
          ...(o.backoutTime ? { backoutTime: o.backoutTime } : {}),
          ...(o.testPlan ? { testPlan: o.testPlan } : {}),
          ...(o.affectedService.length ? { affectedServices: o.affectedService } : {}),
          ...(o.plannedStart ? { plannedStart: o.plannedStart } : {}),
          ...(o.plannedEnd ? { plannedEnd: o.plannedEnd } : {}),
          ...(o.implementer ? { implementer: o.implementer } : {}),
        };
        if (Object.keys(edit).length === 0) throw new UfError('usage', 'nothing to edit: give at least one field option (uf change edit --help)');
        const client = serverClient();
        return print(client ? await client.call<ChangeView>('POST', path(id, '/edit'), edit) : await local((deps) => editChange(deps, id, edit, currentActor())), o.json);
      }),
    );

  change
    .command('review')
    .description("record an emergency change's post-hoc review (not by its requester or implementer)")
    .argument('<id>', 'change id, or the id of its upgrade')
    .requiredOption('--notes <text>', 'what the review found')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (id: string, options: { notes: string; json?: boolean }) => {
        const client = serverClient();
        return print(client ? await client.call<ChangeView>('POST', path(id, '/review'), { notes: options.notes }) : await local((deps) => reviewChange(deps, id, { by: currentActor(), notes: options.notes })), options.json);
      }),
    );
}

function reviewText(c: ChangeView): string {
  if (c.changeClass !== 'emergency') return '-';
  if (c.reviewedAt) return `reviewed ${c.reviewedAt}`;
  return c.reviewOverdue ? `OVERDUE since ${c.reviewDueAt}` : `due ${c.reviewDueAt}`;
}

export function formatChange(c: ChangeView): string {
  const f = c.fields;
  const lines = [
    `change ${c.id} for upgrade ${c.upgradeId}: ${c.changeClass}, ${c.status}`,
    `  approvals      ${c.approvalsGiven}/${c.rule.count}${c.rule.board ? ' (change board)' : ''}: ${c.rule.why}`,
    `  requested by   ${c.requestedBy}; implementer ${c.implementer}`,
    `  planned        ${c.plannedStart} → ${c.plannedEnd}`,
    `  risk           ${f.risk ? `${f.risk.score} (${f.risk.decision})` : 'unknown: never scored'}`,
    `  services       ${f.services.join(', ')}; affected ${f.affectedServices.join(', ')}`,
    `  justification  ${f.justification}`,
    `  implementation ${f.implementationPlan}`,
    `  backout        ${f.backoutPlan} (estimate ${f.backoutTime}, from ${f.backoutTimeSource})`,
    `  test plan      ${f.testPlan}`,
    `  scope digest   ${c.scopeDigest}`,
  ];
  if (c.changeClass === 'emergency') lines.push(`  review         ${reviewText(c)}${c.reviewNotes ? `: ${c.reviewNotes}` : ''}`);
  for (const a of c.approvals) lines.push(`  ${a.voidedAt ? 'voided ' : ''}${a.decision} by ${a.by} (${a.role}) at ${a.at}${a.reason ? `: ${a.reason}` : ''}${a.voidReason ? ` [${a.voidReason}]` : ''}`);
  return lines.join('\n');
}
