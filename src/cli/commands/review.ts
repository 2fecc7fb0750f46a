import type { Command } from 'commander';
import { UfError } from '../../core/errors.js';
import { checkKnown } from '../../core/known-names.js';
import { parseYamlText } from './review-yaml.js';
import { reviewPatch } from '../../verify/reviews/checks.js';
import { actionInputSchema, addAction, completeAction, lessonsFor, openReview, showReview, type ActionInput } from '../../verify/reviews/service.js';
import { actionKinds, type Lesson, type Review, type ReviewAction } from '../../verify/reviews/types.js';
import { serverClient } from '../client.js';
import { currentActor, withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

/** `uf review`: post-implementation reviews and the actions that feed the next upgrade of a service. */
export function registerReview(program: Command, runtime: CliRuntime): void {
  const review = program.command('review').description('post-implementation reviews: what went well, what did not, actions that feed the next cycle');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const printReview = (r: Review, json?: boolean) => {
    if (json) printJson(runtime.output, { ...r, actions: r.actions.map((a) => ({ ...a, patch: reviewPatch(a) })) });
    else runtime.output.out(formatReview(r));
    return 0;
  };

  review
    .command('open')
    .description('open the review of an upgrade that reached production (again: rewrite its text)')
    .argument('<upgrade>')
    .requiredOption('--went-well <text>')
    .requiredOption('--went-badly <text>', 'what did not go well')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (upgradeId: string, o: { wentWell: string; wentBadly: string; json?: boolean }) => {
        const text = { wentWell: o.wentWell, wentBadly: o.wentBadly };
        const client = serverClient();
        return printReview(client ? await client.call<Review>('POST', '/api/v1/reviews', { upgradeId, ...text }) : await withAppRoot(global(), (root) => openReview(root.store, upgradeId, text, currentActor())), o.json);
      }),
    );

  review
    .command('show')
    .description('a review with its actions, and the factory.yaml edit each compat-check or threshold action stands for')
    .argument('<id>', 'review id or upgrade id')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (id: string, o: { json?: boolean }) => {
        const client = serverClient();
        return printReview(client ? await client.call<Review>('GET', `/api/v1/reviews/${encodeURIComponent(id)}`) : await withAppRoot(global(), (root) => showReview(root.store, id), 'read'), o.json);
      }),
    );

  review
    .command('lessons')
    .description("what earlier reviews hand to an upgrade: open checklist and threshold items on its services, and the compat checks they added")
    .argument('<upgrade>')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (upgradeId: string, o: { json?: boolean }) => {
        const client = serverClient();
        const items = client ? (await client.call<{ items: Lesson[] }>('GET', `/api/v1/upgrades/${encodeURIComponent(upgradeId)}/lessons`)).items : await withAppRoot(global(), (root) => lessonsFor(root.store, upgradeId), 'read');
        if (o.json) printJson(runtime.output, items);
        else runtime.output.out(items.length ? formatTable(['ACTION', 'KIND', 'SERVICE', 'OWNER', 'DUE', 'STATUS', 'FROM', 'WHAT'], items.map((l) => [l.action.id, l.action.kind, l.action.service, l.action.owner, `${l.action.due}${l.overdue ? ' (overdue)' : ''}`, l.action.status, l.fromUpgrade, describe(l.action)])) : `no lessons from earlier reviews for ${upgradeId}`);
        return 0;
      }),
    );

  const actions = review.command('action').description('actions of a review');
  actions
    .command('add')
    .description('add an action: compat-check (a check for the service\'s next compat matrices), threshold (an analysis threshold to change) or checklist (an item on its next upgrade)')
    .argument('<review>', 'review id or upgrade id')
    .requiredOption('--kind <kind>', actionKinds.join(', '))
    .requiredOption('--service <name>')
    .requiredOption('--title <text>')
    .requiredOption('--owner <who>')
    .requiredOption('--due <date>', 'YYYY-MM-DD')
    .option('--check <yaml>', 'compat-check: the check as under compat.checks in factory.yaml (YAML or JSON), e.g. "{id: payment-smoke, kind: command, command: [npm, run, smoke]}"')
    .option('--analysis <name>', 'threshold: the analysis')
    .option('--metric <name>', 'threshold: the metric')
    .option('--from <threshold>', 'threshold: the current threshold')
    .option('--to <threshold>', 'threshold: the new threshold')
    .option('--item <text>', 'checklist: the item (default: the title)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (reviewRef: string, o: Record<string, string | boolean | undefined>) => {
        checkKnown('action kind', '--kind', String(o.kind), actionKinds, 'usage');
        const raw = { ...o, json: undefined, check: typeof o.check === 'string' ? parseYamlText(o.check, '--check') : undefined };
        const parsed = actionInputSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
        if (!parsed.success) throw new UfError('usage', parsed.error.issues[0]!.message, { path: `--${parsed.error.issues[0]!.path.join('.')}` });
        const input: ActionInput = parsed.data;
        const client = serverClient();
        const added = client
          ? await client.call<ReviewAction>('POST', `/api/v1/reviews/${encodeURIComponent(reviewRef)}/actions`, input)
          : await withAppRoot(global(), (root) => addAction(root.store, reviewRef, input, currentActor(), root.loaded.config.compat.checks.map((c) => c.id)));
        if (o.json) printJson(runtime.output, { ...added, patch: reviewPatch(added) });
        else runtime.output.out(`${added.id}: ${added.kind} for ${added.service}, owner ${added.owner}, due ${added.due}\n${reviewPatch(added) ?? ''}`.trimEnd());
        return 0;
      }),
    );
  actions
    .command('done')
    .description('mark an action done (its owner, or an admin)')
    .argument('<action>')
    .option('--note <text>')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (actionId: string, o: { note?: string; json?: boolean }) => {
        const client = serverClient();
        const done = client
          ? await client.call<ReviewAction>('POST', `/api/v1/review-actions/${encodeURIComponent(actionId)}/done`, o.note ? { note: o.note } : {})
          : await withAppRoot(global(), (root) => completeAction(root.store, actionId, { actor: currentActor(), admin: false }, o.note ?? null));
        if (o.json) printJson(runtime.output, done);
        else runtime.output.out(`${done.id} done by ${done.doneBy} at ${done.doneAt}`);
        return 0;
      }),
    );
}

function describe(a: ReviewAction): string {
  const d = a.detail;
  if (d.kind === 'checklist') return d.item;
  if (d.kind === 'threshold') return `${d.analysis} ${d.metric}: ${d.from ?? '(current)'} -> ${d.to}`;
  return `compat check ${d.check.id} (${d.check.kind})`;
}

export function formatReview(r: Review): string {
  const lines = [`review ${r.id} of ${r.upgradeId} (opened by ${r.openedBy} at ${r.openedAt})`, `  went well: ${r.wentWell}`, `  did not:   ${r.wentBadly}`];
  if (r.actions.length === 0) lines.push('  no actions yet: uf review action add');
  for (const a of r.actions) {
    lines.push(`  ${a.id} [${a.status}] ${a.kind} ${a.service}, owner ${a.owner}, due ${a.due}: ${a.title} — ${describe(a)}`);
    const patch = reviewPatch(a);
    if (patch && a.status === 'open') lines.push(...patch.trimEnd().split('\n').map((l) => `      ${l}`));
  }
  return lines.join('\n');
}
