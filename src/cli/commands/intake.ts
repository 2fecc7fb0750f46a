import type { Command } from 'commander';
import { runIntake, type IntakeSummary } from '../../intake/pipeline/run.js';
import { currentActor, withStore, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { printJson } from '../output.js';

export function registerIntake(program: Command, runtime: CliRuntime): void {
  const intake = program.command('intake').description('advisory and release-note intake, matching and triage');
  intake
    .command('run')
    .description('run intake now: read sources, match inventories, create or update triaged upgrades')
    .option('--force', 'run even when no input changed since the last run')
    .option('--json', 'machine-readable summary')
    .action(
      action(runtime, (options: { force?: boolean; json?: boolean }) =>
        withStore(program.opts<GlobalOptions>(), async (store, loaded) => {
          const tty = process.stderr.isTTY === true && !options.json;
          let lastLine = '';
          const summary = await runIntake(store, loaded, {
            actor: currentActor(),
            force: options.force === true,
            onProgress: (label, done, total) => {
              const line = `${label} ${done}${total !== undefined ? `/${total}` : ''}`;
              if (tty) process.stderr.write(`\r\x1b[2K${line}`);
              else if (!options.json && label !== lastLine) runtime.output.err(label);
              lastLine = label;
            },
          });
          if (tty) process.stderr.write('\r\x1b[2K');
          if (options.json) printJson(runtime.output, summary);
          else runtime.output.out(formatIntakeSummary(summary));
          for (const p of summary.problems.slice(0, options.json ? 0 : 20)) runtime.output.err(`uf: skipped: ${p.message}`);
          if (!options.json && summary.problems.length > 20) runtime.output.err(`uf: ... and ${summary.problems.length - 20} more source problems (see --json)`);
          return summary.degraded ? 2 : 0;
        }),
      ),
    );
}

export function formatIntakeSummary(s: IntakeSummary): string {
  if (s.status === 'unchanged') return `intake: nothing changed since the last run (${s.durationMs.toFixed(0)} ms); use --force to run anyway`;
  const u = s.upgrades;
  return [
    `advisories: ${s.advisories.read} read, ${s.advisories.new} new, ${s.advisories.updated} updated, ${s.advisories.withdrawn} withdrawn (${s.advisories.stored} stored)` +
      (s.kev !== undefined ? `; KEV ${s.kev} entries` : '') +
      (s.epss !== undefined ? `; EPSS ${s.epss} scores` : ''),
    `findings: ${s.findings.open} open (${s.findings.opened} new, ${s.findings.reopened} reopened, ${s.findings.retired} retired)`,
    `upgrades: ${u.created.length} created, ${u.rescoped.length} rescoped, ${u.rescored.length} rescored, ${u.superseded.length} superseded, ${u.closed.length} closed, ${u.unchanged.length} unchanged, ${u.inProgress.length} in progress left alone`,
    ...s.unfixed.map((f) => `no known fix: ${f.component} (${f.advisories.join(', ')})`),
    ...s.endOfLife.map((e) => `end of life: ${e.component} ${e.version} (cycle ${e.cycle}) ${e.status === 'past' ? `ended ${e.eol}` : `ends ${e.eol}, in ${e.daysLeft} days`} — ${e.services.join(', ')}`),
    ...s.unsupportedEcosystems.map((e) => `not checked: ${e.components} ${e.ecosystem} components (no version scheme)`),
    `${s.problems.length} source problems; ${(s.durationMs / 1000).toFixed(2)} s`,
  ].join('\n');
}
