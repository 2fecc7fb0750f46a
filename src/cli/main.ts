import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { commandEntries, selectedCommand } from './commands/index.js';
import { describeFailure } from './failure.js';
import { processOutput, type Output } from './output.js';
import type { CliRuntime, ExitCode } from './runtime.js';

// Command files import these from here; they live in runtime.ts so that main loads nothing heavy.
export { action, type CliRuntime, type ExitCode } from './runtime.js';

/** package.json's version, read next to dist/ (or src/ under tsx). */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/**
 * The program with every command listed; only the command that argv runs (`selected`) has its
 * code loaded, the others are names and descriptions for `uf --help`.
 */
export async function buildProgram(runtime: CliRuntime, selected?: string): Promise<Command> {
  const program = new Command('uf')
    .description('Upgrade Factory: every upgrade through the same gated path, with an audit trail')
    .option('-c, --config <file>', 'factory.yaml to use (default: ./factory.yaml, or UF_CONFIG)')
    .option('--debug', 'print the stack trace of an unexpected error')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(run uf --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => runtime.output.out(text),
      writeErr: (text) => runtime.output.err(text),
    });
  for (const entry of commandEntries) {
    if (entry.name === selected) (await entry.load())(program, runtime);
    else program.command(entry.args ? `${entry.name} ${entry.args}` : entry.name).description(entry.description);
  }
  return program;
}

export async function main(argv: string[], output: Output = processOutput): Promise<ExitCode> {
  const runtime: CliRuntime = { output, exitCode: 0 };
  const debug = argv.includes('--debug');
  try {
    const program = await buildProgram(runtime, selectedCommand(argv.slice(2)));
    await program.parseAsync(argv);
    return runtime.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; everything else commander refuses is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    const failure = describeFailure(error, debug);
    for (const line of failure.lines) output.err(line);
    return failure.exitCode;
  }
}
