import type { Command } from 'commander';
import { trafficRouterLookup } from '../../app/routers.js';
import { createRollouts, type PersonInput, type SubmitOutcome } from '../../app/rollouts.js';
import { UfError } from '../../core/errors.js';
import { checkKnown } from '../../core/known-names.js';
import { roles, type Role } from '../../core/roles.js';
import { finalPhases, type RolloutCommand } from '../../rollout/engine/index.js';
import { currentActor, withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';
import { serverClient } from '../client.js';
import { formatRollout } from './rollout-format.js';
import { remoteRollouts, type RolloutAccess } from './rollout-remote.js';

/**
 * `uf rollout`: start a rollout, look at it, and tell it what people decide. On a local store the
 * CLI acts as UF_ACTOR (or the login name) and trusts `--role`, like any tool with write access to
 * the database; with UF_SERVER and UF_TOKEN it goes through the server, where the token decides both. The process that drives rollouts (uf serve)
 * runs what is decided; these commands decide at once and return.
 */
export function registerRollout(program: Command, runtime: CliRuntime): void {
  const rollout = program.command('rollout').description('progressive rollouts: start, status, approvals and commands');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const withRollouts = <T>(fn: (rollouts: RolloutAccess) => Promise<T>): Promise<T> => {
    const client = serverClient();
    if (client) return fn(remoteRollouts(client));
    return withAppRoot(global(), (root) => fn(createRollouts(root, { routerFor: trafficRouterLookup(root, undefined) })));
  };

  rollout
    .command('start')
    .description('start the rollout of an upgrade in compat: deploy, health check, then the policy steps (5, 25, 50, 100%)')
    .argument('<upgrade>', 'upgrade id')
    .option('--service <name>', 'which of the upgrade\'s services (needed when it has several)')
    .option('--baseline', 'run a fresh baseline of the old version beside the canary, at its weight')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (upgradeId: string, options: { service?: string; baseline?: boolean; json?: boolean }) =>
        withRollouts(async (rollouts) => {
          const view = await rollouts.start({ upgradeId, actor: currentActor(), ...(options.service ? { service: options.service } : {}), ...(options.baseline ? { baseline: true } : {}) });
          if (options.json) printJson(runtime.output, view);
          else runtime.output.out(`${formatRollout(view)}\n\nThe process that drives rollouts (uf serve) deploys and moves it on; follow it with: uf rollout status ${view.id} --watch`);
          return 0;
        }),
      ),
    );

  rollout
    .command('status')
    .description('one rollout with its latest verdict and decisions, or the list of rollouts')
    .argument('[rollout]', 'rollout id (all rollouts when absent)')
    .option('--upgrade <id>', 'only the rollouts of this upgrade')
    .option('--watch', 'redraw as it changes, until it ends (Ctrl-C stops watching, not the rollout)')
    .option('--interval <ms>', 'how often --watch reads the store', '1000')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (id: string | undefined, options: { upgrade?: string; watch?: boolean; interval: string; json?: boolean }) =>
        withRollouts(async (rollouts) => {
          if (!id) {
            if (options.watch) throw new UfError('usage', '--watch needs a rollout id');
            const list = await rollouts.list(options.upgrade ? { upgradeId: options.upgrade } : {});
            if (options.json) printJson(runtime.output, list);
            else
              runtime.output.out(
                formatTable(
                  ['ROLLOUT', 'UPGRADE', 'SERVICE', 'ATTEMPT', 'PHASE', 'STEP', 'CANARY', 'UPDATED'],
                  list.map((r) => [r.id, r.upgradeId, r.service, r.state.attempt, r.state.phase, `${r.state.step + 1}/${r.state.steps.length}`, `${r.state.weights.canary}%`, r.updatedAt]),
                ),
              );
            return 0;
          }
          if (!options.watch) {
            const view = await rollouts.get(id, { withDecisions: true });
            if (options.json) printJson(runtime.output, view);
            else runtime.output.out(formatRollout(view));
            return 0;
          }
          return watch(rollouts, id, Number(options.interval), runtime, options.json ?? false);
        }),
      ),
    );

  const decide = (name: 'approve' | 'reject', description: string) =>
    rollout
      .command(name)
      .description(description)
      .argument('<rollout>', 'rollout id')
      .option('--reason <text>', 'why; recorded in the operation log')
      .option('--role <role>', `the role you approve as (on a local store; the API takes it from the token): ${roles.join(', ')}`, 'approver')
      .option('--json', 'machine-readable output')
      .action(
        action(runtime, (id: string, options: { reason?: string; role: string; json?: boolean }) => {
          checkKnown('role', '--role', options.role, roles, 'usage');
          if (name === 'reject' && !options.reason) throw new UfError('usage', 'a rejection needs --reason');
          const input: PersonInput = { type: 'approval', by: currentActor(), roles: [options.role as Role], decision: name, ...(options.reason ? { reason: options.reason } : {}) };
          return withRollouts(async (rollouts) => report(runtime, await rollouts.submit(id, input), options.json ?? false));
        }),
      );
  decide('approve', "approve the step a rollout waits at (never by the person who started it)");
  decide('reject', 'reject the step a rollout waits at: traffic off, upgrade rolled back');

  const commands: Record<RolloutCommand, string> = {
    promote: "skip the rest of the current step's wait after a passing analysis (never its gate)",
    pause: 'hold the rollout at its step (analysis stops; weights stay)',
    resume: 'go on from a pause (after an inconclusive analysis, a failed action, or a manual pause)',
    abort: 'traffic off and the attempt ends; the upgrade is rolled back',
    retry: 'a new attempt after a rollback or an abort, keeping the earlier attempts\' history',
  };
  for (const [command, description] of Object.entries(commands) as [RolloutCommand, string][]) {
    rollout
      .command(command)
      .description(description)
      .argument('<rollout>', 'rollout id')
      .option('--reason <text>', 'why; recorded in the operation log')
      .option('--json', 'machine-readable output')
      .action(
        action(runtime, (id: string, options: { reason?: string; json?: boolean }) =>
          withRollouts(async (rollouts) => report(runtime, await rollouts.submit(id, { type: 'command', command, actor: currentActor(), ...(options.reason ? { reason: options.reason } : {}) }), options.json ?? false)),
        ),
      );
  }

  rollout
    .command('override-window')
    .description('let the promotion a closed change window holds back go ahead (approver or admin, never the initiator; logged with its reason)')
    .argument('<rollout>', 'rollout id')
    .requiredOption('--reason <text>', 'why the window is overridden; recorded in the operation log')
    .option('--role <role>', `the role you override as (on a local store; the API takes it from the token): ${roles.join(', ')}`, 'approver')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (id: string, options: { reason: string; role: string; json?: boolean }) => {
        checkKnown('role', '--role', options.role, roles, 'usage');
        if (options.reason.trim() === '') throw new UfError('usage', 'overriding a change window needs a non-empty --reason');
        return withRollouts(async (rollouts) => report(runtime, await rollouts.submit(id, { type: 'window-override', by: currentActor(), roles: [options.role as Role], reason: options.reason }), options.json ?? false));
      }),
    );
}

/** Prints what the engine decided on a person's input; a refusal is exit 2 with the engine's reason. */
function report(runtime: CliRuntime, outcome: SubmitOutcome, json: boolean): number {
  if (json) printJson(runtime.output, outcome);
  else if (outcome.status === 'queued') runtime.output.out(`queued as ${outcome.inputId}: the process driving rollout ${outcome.rollout.id} has not decided on it yet; see uf rollout status ${outcome.rollout.id}`);
  else runtime.output.out([...outcome.decisions.map((d) => `${d.owner}: ${d.text}`), `rollout ${outcome.rollout.id}: ${outcome.rollout.state.phase}, canary ${outcome.rollout.state.weights.canary}%`].join('\n'));
  if (outcome.status === 'refused') {
    if (!json) runtime.output.err(`uf: refused: ${outcome.refusal}`);
    return 2;
  }
  return 0;
}

/** Redraws the rollout when it changes, until its attempt ends or the process is stopped. */
async function watch(rollouts: RolloutAccess, id: string, intervalMs: number, runtime: CliRuntime, json: boolean): Promise<number> {
  if (!Number.isFinite(intervalMs) || intervalMs < 100) throw new UfError('usage', '--interval must be a number of milliseconds, at least 100');
  let last = '';
  for (;;) {
    const view = await rollouts.get(id, { withDecisions: true });
    const text = json ? JSON.stringify(view) : formatRollout(view, { decisions: 8 });
    if (text !== last) {
      // On a terminal, redraw in place; into a pipe, print each change.
      if (!json && process.stdout.isTTY) runtime.output.out(`\x1b[2J\x1b[H${text}`);
      else runtime.output.out(text);
      last = text;
    }
    if (finalPhases.includes(view.state.phase) && !view.state.pending.length) return 0;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
