import type { Command } from 'commander';
import { deliveryDeps } from '../../app/notifications.js';
import { UfError } from '../../core/errors.js';
import { deliverDue } from '../../governance/notifiers/deliver.js';
import { listAttempts, type DeliveryAttempt } from '../../governance/notifiers/store.js';
import { serverClient } from '../client.js';
import { withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

/** `uf notify`: webhook notifications on gate events (`notifications:` in factory.yaml). */
export function registerNotify(program: Command, runtime: CliRuntime): void {
  const notify = program.command('notify').description('webhook notifications on gate events: deliver pending ones, read the delivery log');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  notify
    .command('deliver')
    .description('send every due notification once (uf serve does it in the background); exit 1 when an attempt did not deliver')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { json?: boolean }) => {
        const attempts = await withAppRoot(global(), async (root) => {
          const deps = deliveryDeps(root, { quiet: true });
          const all: DeliveryAttempt[] = [];
          // Until nothing is due now: retries wait for their backoff, they are not forced.
          for (let round = await deliverDue(deps); round.length > 0; round = await deliverDue(deps)) all.push(...round);
          return all;
        });
        if (options.json) printJson(runtime.output, attempts);
        else runtime.output.out(attempts.length === 0 ? 'nothing due' : formatAttempts(attempts));
        return attempts.every((a) => a.outcome === 'delivered') ? 0 : 1;
      }),
    );

  notify
    .command('log')
    .description('the delivery log: every attempt, newest first (no URL, secret or payload)')
    .option('--target <name>', 'only this target')
    .option('--limit <n>', 'at most this many attempts', '50')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { target?: string; limit: string; json?: boolean }) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UfError('usage', '--limit: expected a whole number from 1 to 1000');
        const client = serverClient();
        const query = new URLSearchParams({ limit: String(limit), ...(options.target ? { target: options.target } : {}) });
        const items = client
          ? (await client.call<{ items: DeliveryAttempt[] }>('GET', `/api/v1/notifications/deliveries?${query}`)).items
          : await withAppRoot(global(), (root) => listAttempts(root.store.db, { limit, ...(options.target ? { target: options.target } : {}) }), 'read');
        if (options.json) printJson(runtime.output, items);
        else runtime.output.out(items.length === 0 ? 'no delivery attempt yet' : formatAttempts(items));
        return 0;
      }),
    );
}

function formatAttempts(attempts: readonly DeliveryAttempt[]): string {
  return formatTable(
    ['AT', 'TARGET', 'EVENT', 'TYPE', 'ATTEMPT', 'OUTCOME', 'STATUS', 'MS', 'NEXT', 'ERROR'],
    attempts.map((a) => [a.at, a.target, a.eventId, a.eventType.replace(/^dev\.upgradefactory\./, ''), a.attempt, a.outcome, a.statusCode ?? '-', a.durationMs, a.nextAttemptAt ?? '-', a.error ?? '']),
  );
}
