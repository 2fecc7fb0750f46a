import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UfError } from '../../core/errors.js';
import { compareLines, compareVersions } from './versions-compare.js';
import { action, type CliRuntime } from '../main.js';

export function registerVersions(program: Command, runtime: CliRuntime): void {
  const versions = program.command('versions').description('version ordering per ecosystem');
  versions
    .command('compare')
    .description('print <, = or > for A versus B; with --stdin, one symbol per input line "A<TAB>B"')
    .requiredOption('--ecosystem <name>', 'OSV ecosystem name: npm, PyPI, Maven, NuGet, RubyGems, Go, crates.io, Packagist, Debian')
    .option('--stdin', 'read pairs from standard input, one "A<TAB>B" per line')
    .argument('[a]', 'first version')
    .argument('[b]', 'second version')
    .action(
      action(runtime, async (a: string | undefined, b: string | undefined, options: { ecosystem: string; stdin?: boolean }) => {
        if (options.stdin) {
          if (a !== undefined) throw new UfError('usage', 'give either two versions or --stdin, not both');
          const { output, errors } = compareLines(options.ecosystem, readFileSync(0, 'utf8'));
          if (output) process.stdout.write(output);
          for (const error of errors) runtime.output.err(`uf: line ${error.line}: ${error.message}`);
          return errors.length > 0 ? 2 : 0;
        }
        if (a === undefined || b === undefined) throw new UfError('usage', 'two versions are needed (or --stdin)');
        runtime.output.out(compareVersions(options.ecosystem, a, b));
        return 0;
      }),
    );
}
