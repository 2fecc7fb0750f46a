import type { Command } from 'commander';
import { readoutContext, riskCalibration } from '../../app/readout.js';
import { withAppRoot, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

/** `uf risk calibrate`: predicted risk against what happened, with suggested weight changes. */
export function registerRisk(program: Command, runtime: CliRuntime): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const risk = program.command('risk').description('the risk score: calibration against outcomes');
  risk
    .command('calibrate')
    .description('compare the risk scores with what happened (rollbacks, incidents) and suggest factor weights for factory.yaml')
    .option('--period <period>', 'only upgrades created in this period: 2026-Q4, 2026-11, 2026, or 2026-11-01..2026-11-30')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { period?: string; json?: boolean }) => {
        const report = await withAppRoot(global(), (root) => riskCalibration(readoutContext(root), options.period), 'read');
        if (options.json) {
          printJson(runtime.output, report);
          return 0;
        }
        const out = runtime.output.out;
        out(`Calibration${report.period ? ` for ${report.period.label}` : ''}: ${report.samples.length} upgrades with an outcome (${report.failed} went wrong, ${report.clean} clean), ${report.pending} pending.`);
        if (report.samples.length > 0) out(formatTable(['upgrade', 'component', 'score', 'outcome', 'why'], report.samples.map((s) => [s.upgradeId, s.name, s.score, s.outcome, s.detail])));
        if (report.ranking) {
          const r = report.ranking;
          out(`Ranking: ${r.reading} (AUC ${r.auc.toFixed(2)}; mean score ${r.failedMeanScore.toFixed(1)} when it went wrong, ${r.cleanMeanScore.toFixed(1)} when clean).`);
        }
        for (const s of report.suggestions) out(`Suggest risk.factorWeights.${s.group}.${s.factor}: ${s.current} -> ${s.suggested}. ${s.reasoning}.`);
        if (report.yaml) out(`\nfactory.yaml:\n${report.yaml}`);
        for (const note of report.notes) out(`Note: ${note}.`);
        return 0;
      }),
    );
}
