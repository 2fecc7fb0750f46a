import type { Command } from 'commander';
import { UfError } from '../../core/errors.js';
import { defaultIntakeLeaseWaitMs, intakeParts, runIntake, type IntakeSummary } from '../../app/intake.js';
import { LeaseHeldError } from '../../store/repos/leases.js';
import { currentActor, withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { printJson } from '../output.js';

export function registerIntake(program: Command, runtime: CliRuntime): void {
  const intake = program.command('intake').description('advisory and release-note intake, matching and triage');
  intake
    .command('run')
    .description('run intake now: read sources, match inventories, create or update triaged upgrades; exit 2 when some source could not be read')
    .option('--force', 'run even when no input changed since the last run')
    .option('--json', 'machine-readable summary')
    .option('--wait <seconds>', `how long to wait while another intake run holds the store's intake lease (default ${defaultIntakeLeaseWaitMs / 1000})`)
    .option('--no-wait', 'do not wait: exit 2 at once, naming the run that holds the lease')
    .action(
      action(runtime, (options: { force?: boolean; json?: boolean; wait?: string | boolean }) =>
        withAppRoot(program.opts<GlobalOptions>(), async (root) => {
          const tty = process.stderr.isTTY === true && !options.json;
          let lastLine = '';
          const summary = await runIntake(root.store, root.loaded, {
            ...intakeParts(root),
            actor: currentActor(),
            force: options.force === true,
            leaseWaitMs: leaseWait(options.wait),
            onLeaseWait: (held) => runtime.output.err(`uf: another intake run holds the lease since ${held.acquiredAt} (holder ${held.holder}); waiting for it`),
            onProgress: (label, done, total) => {
              const line = `${label} ${done}${total !== undefined ? `/${total}` : ''}`;
              if (tty) process.stderr.write(`\r\x1b[2K${line}`);
              else if (!options.json && label !== lastLine) runtime.output.err(label);
              lastLine = label;
            },
          }).catch((error: unknown) => {
            if (!(error instanceof LeaseHeldError)) throw error;
            // Not a failed check: the job could not be done now, which scripts tell apart by exit 2.
            runtime.output.err(`uf: ${error.describe()}`);
            return undefined;
          });
          if (!summary) return 2;
          if (tty) process.stderr.write('\r\x1b[2K');
          if (options.json) printJson(runtime.output, summary);
          else runtime.output.out(formatIntakeSummary(summary));
          for (const p of summary.problems.slice(0, options.json ? 0 : 20)) runtime.output.err(`uf: skipped: ${p.message}`);
          if (!options.json && summary.problems.length > 20) runtime.output.err(`uf: ... and ${summary.problems.length - 20} more source problems (see --json)`);
          if (summary.problems.length === 0 && !summary.degraded) return 0;
          // A summary built from partly unreadable sources must not pass for a complete one.
          const sources = [...new Set(summary.problems.map((p) => p.source))];
          runtime.output.err(`uf: intake incomplete: ${sources.length} source${sources.length === 1 ? '' : 's'} could not be read in full: ${sources.join(', ')}`);
          return 2;
        }),
      ),
    );
}

function leaseWait(wait: string | boolean | undefined): number {
  if (wait === false) return 0;
  if (wait === undefined || wait === true) return defaultIntakeLeaseWaitMs;
  const seconds = Number(wait);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UfError('usage', `--wait must be a number of seconds, not '${wait}'`);
  return seconds * 1000;
}

export function formatIntakeSummary(s: IntakeSummary): string {
  if (s.status === 'unchanged') return `intake: nothing changed since the last run (${s.findings.open} open findings; ${s.durationMs.toFixed(0)} ms); use --force to run anyway`;
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
