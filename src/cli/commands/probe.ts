import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { UfError } from '../../core/errors.js';
import { configuredTarget, findJourney, formatJourneyResult, runJourney } from '../../verify/probes/index.js';
import { resolveConfig, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

export function registerProbe(program: Command, runtime: CliRuntime): void {
  const probe = program.command('probe').description('journey probes: synthetic transactions against a service, its canary or its stable');
  probe
    .command('run')
    .description('run one journey of factory.yaml; exit 0 when it passes, 1 when it is degraded or failing, 2 on bad input')
    .argument('<journey>', 'the journey’s name under journeys:')
    .option('--target <url>', 'base URL to run against (default: the service’s built-in router)')
    .option('--variant <variant>', 'canary or stable of the service, through its built-in router (pinned by the router’s override route)')
    .option('--iterations <n>', 'runs of the whole journey (default: the journey’s iterations)')
    .option('--json', 'machine-readable output: the whole result')
    .action(
      action(runtime, async (name: string, options: { target?: string; variant?: string; iterations?: string; json?: boolean }) => {
        const { config } = resolveConfig(program.opts<GlobalOptions>());
        const journey = findJourney(config, name);
        if (options.variant !== undefined && options.variant !== 'canary' && options.variant !== 'stable') throw new UfError('usage', `--variant: expected canary or stable, not '${options.variant}'`);
        const iterations = options.iterations === undefined ? undefined : Number(options.iterations);
        if (iterations !== undefined && (!Number.isInteger(iterations) || iterations < 1 || iterations > 1_000)) throw new UfError('usage', '--iterations: expected a whole number from 1 to 1000');
        const adminToken = process.env.UF_ADMIN_TOKEN;
        const target = await configuredTarget(config, journey, {
          ...(options.target !== undefined ? { target: options.target } : {}),
          ...(options.variant !== undefined ? { variant: options.variant } : {}),
          ...(adminToken ? { adminToken } : {}),
        });
        const result = await runJourney(journey, target, { clock: systemClock }, iterations !== undefined ? { iterations } : {});
        if (options.json) printJson(runtime.output, { ...result, via: target.via });
        else runtime.output.out(formatJourneyResult(result, target.via));
        return result.state === 'passing' ? 0 : 1;
      }),
    );
  probe
    .command('list')
    .description('the journeys of factory.yaml')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { json?: boolean }) => {
        const { config } = resolveConfig(program.opts<GlobalOptions>());
        const rows = config.journeys.map((j) => ({
          name: j.name,
          service: j.service,
          steps: j.steps.length,
          kinds: [...new Set(j.steps.map((s) => s.kind))],
          iterations: j.iterations,
          thresholds: Object.entries(j.thresholds).flatMap(([metric, entries]) => (entries ?? []).map((e) => `${metric} ${e.threshold}${e.abortOnFail ? ' (abortOnFail)' : ''}`)),
        }));
        if (options.json) printJson(runtime.output, rows);
        else if (rows.length === 0) runtime.output.out('no journeys in factory.yaml (define them under journeys:)');
        else runtime.output.out(formatTable(['JOURNEY', 'SERVICE', 'STEPS', 'KINDS', 'THRESHOLDS'], rows.map((r) => [r.name, r.service, r.steps, r.kinds.join(','), r.thresholds.join('; ') || '-'])));
        return 0;
      }),
    );
}
