import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UfError } from '../../core/errors.js';
import { judgeSamples, parseJudgeSamplesInput, type JudgeSamplesOutput } from '../../rollout/analysis/judges/statistical/samples-input.js';
import { action, type CliRuntime } from '../main.js';
import { printJson } from '../output.js';

export function registerAnalysis(program: Command, runtime: CliRuntime): void {
  const analysis = program.command('analysis').description('canary analysis: run the statistical judge on given samples');
  analysis
    .command('judge')
    .description(
      'the statistical judge (Kayenta Mann-Whitney classifier) on given canary and baseline samples; exit 0 when the metric passes, 1 when it is high, low or without data, 2 on bad input',
    )
    .requiredOption('--input <file>', 'JSON: {"canary": [..], "baseline": [..], "direction", "tolerance", "confidence", "effectSize", "critical", "mustHaveData", "nan"} ("-" reads standard input)')
    .option('--json', 'machine-readable output: classification, critical, ci, estimate, effectSize, reason')
    .action(
      action(runtime, async (options: { input: string; json?: boolean }) => {
        const file = options.input === '-' ? '<stdin>' : options.input;
        const input = parseJudgeSamplesInput(readInput(options.input), file);
        const result = judgeSamples(input);
        if (options.json) printJson(runtime.output, result);
        else runtime.output.out(describe(result));
        return result.classification === 'pass' ? 0 : 1;
      }),
    );
}

function readInput(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new UfError('usage', `cannot read --input: ${(error as Error).message}`, { file: path }, { cause: error });
  }
}

function describe(result: JudgeSamplesOutput): string {
  const number = (value: number): string => String(Number(value.toPrecision(6)));
  const lines = [`${result.classification}${result.critical ? ' (critical)' : ''}: ${result.reason}`];
  if (result.ci) lines.push(`interval of the shift canary - baseline: [${number(result.ci[0])}, ${number(result.ci[1])}]`);
  if (result.estimate !== null) lines.push(`estimate (Hodges-Lehmann): ${number(result.estimate)}`);
  lines.push(`effect size: ${result.effectSize === null ? 'not computable' : number(result.effectSize)}`);
  return lines.join('\n');
}
