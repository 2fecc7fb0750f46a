import type { Command } from 'commander';
import { formatDuration } from '../../core/duration.js';
import { doraReport, type DoraQuery } from '../../verify/dora/load.js';
import type { DoraReport, MedianFigure, RatioFigure } from '../../verify/dora/types.js';
import { serverClient } from '../client.js';
import { withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { printJson } from '../output.js';

/** `uf dora`: the five DORA delivery metrics from the factory's own records. */
export function registerDora(program: Command, runtime: CliRuntime): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  program
    .command('dora')
    .description("DORA's five delivery metrics (frequency, lead time, change fail rate, recovery time, rework rate) per period, service or team")
    .option('--period <period>', '2026-Q4, 2026-11 or 2026 (default: the current quarter)')
    .option('--from <date>', 'start of the period (2026-11-01); with --to')
    .option('--to <date>', 'last day of the period (inclusive), or an instant (exclusive)')
    .option('--service <name>')
    .option('--team <owner>', 'the services this owner has in the service map')
    .option('--json', 'machine-readable output, with every record each figure used')
    .action(
      action(runtime, async (options: DoraQuery & { json?: boolean }) => {
        const { json, ...query } = options;
        const client = serverClient();
        const report = client
          ? await client.call<DoraReport>('GET', `/api/v1/dora?${new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][])}`)
          : await withAppRoot(global(), (root) => doraReport(root.store, query), 'read');
        if (json) printJson(runtime.output, report);
        else runtime.output.out(formatDora(report));
        return 0;
      }),
    );
}

export function formatDora(r: DoraReport): string {
  const scope = r.scope.service ? `service ${r.scope.service}` : r.scope.team ? `team ${r.scope.team} (${r.scope.services?.join(', ')})` : 'all services';
  const f = r.deploymentFrequency;
  const lt = r.changeLeadTime;
  const lines = [
    `DORA ${r.period.label} (${r.period.from} .. ${r.period.to}, ${round(r.period.days)} days), ${scope}`,
    `  deployment frequency       ${round(f.perDay)}/day, ${round(f.perWeek)}/week  (${f.deployments} deployments / ${round(f.days)} days; ${f.reachedFullTraffic} reached 100%)`,
    `  change lead time           ${lt.headline === null ? 'no data: no deployment in the period reached done' : `${hours(lt.medianHours)} median from ${lt.headline === 'upstream' ? 'upstream release' : 'change record created'} to done`}`,
    `                             upstream → done: ${median(lt.fromUpstream)};  change created → done: ${median(lt.fromChangeCreated)}`,
    `  change fail rate           ${ratio(r.changeFailRate)}`,
    `  failed deployment recovery ${median(r.failedDeploymentRecoveryTime)}${r.failedDeploymentRecoveryTime.unrecovered.length ? `; ${r.failedDeploymentRecoveryTime.unrecovered.length} not recovered` : ''}`,
    `  deployment rework rate     ${ratio(r.deploymentReworkRate)}`,
  ];
  for (const rec of r.changeFailRate.records) lines.push(`    failed: ${rec.deployment}: ${rec.detail}`);
  for (const rec of r.deploymentReworkRate.records) lines.push(`    rework: ${rec.deployment}: ${rec.detail}`);
  return lines.join('\n');
}

const round = (n: number) => String(Math.round(n * 100) / 100);
// Durations below an hour read better as minutes and seconds (a canary rollback takes seconds).
const hours = (h: number | null) => (h === null ? 'no data' : h >= 1 ? `${round(h)}h` : formatDuration(Math.round(h * 3_600_000)));
const median = (m: MedianFigure) => `${hours(m.medianHours)} (${m.numerator} of ${m.denominator} records)`;
const ratio = (r: RatioFigure) => (r.value === null ? 'no deployments' : `${round(r.value * 100)}% (${r.numerator} / ${r.denominator})`);
