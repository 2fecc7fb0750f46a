import { Command, CommanderError } from 'commander';
import { isUfError } from '../core/errors.js';
import { registerCatalog } from './commands/catalog.js';
import { registerCvss } from './commands/cvss.js';
import { registerDemo } from './commands/demo.js';
import { registerFindings } from './commands/findings.js';
import { registerInit } from './commands/init.js';
import { registerIntake } from './commands/intake.js';
import { registerInventory } from './commands/inventory.js';
import { registerLog } from './commands/log.js';
import { registerProxy } from './commands/proxy.js';
import { registerScan } from './commands/scan.js';
import { registerServe } from './commands/serve.js';
import { registerToken } from './commands/token.js';
import { registerUpgrades } from './commands/upgrades.js';
import { registerVersions } from './commands/versions.js';
import { registerVex } from './commands/vex.js';
import { processOutput, type Output } from './output.js';

/** What a command's action returns: its exit code (0 ok, 1 problems found, 2 bad input or usage). */
export type ExitCode = 0 | 1 | 2;

export interface CliRuntime {
  output: Output;
  /** Set by the action that ran. */
  exitCode: ExitCode;
}

export function buildProgram(runtime: CliRuntime): Command {
  const program = new Command('uf')
    .description('Upgrade Factory: every upgrade through the same gated path, with an audit trail')
    .option('-c, --config <file>', 'factory.yaml to use (default: ./factory.yaml, or UF_CONFIG)')
    .showHelpAfterError('(run uf --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => runtime.output.out(text),
      writeErr: (text) => runtime.output.err(text),
    });
  for (const register of [registerInit, registerServe, registerCatalog, registerInventory, registerUpgrades, registerLog, registerToken, registerDemo, registerVersions, registerCvss, registerScan, registerIntake, registerProxy, registerFindings, registerVex]) {
    register(program, runtime);
  }
  return program;
}

/** Wraps an action so that it reports its exit code to the runtime. */
export function action<A extends unknown[]>(runtime: CliRuntime, fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const code = await fn(...args);
    runtime.exitCode = code === 0 || code === 1 || code === 2 ? code : 1;
  };
}

export async function main(argv: string[], output: Output = processOutput): Promise<ExitCode> {
  const runtime: CliRuntime = { output, exitCode: 0 };
  const program = buildProgram(runtime);
  try {
    await program.parseAsync(argv);
    return runtime.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; everything else commander refuses is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isUfError(error)) {
      output.err(`uf: ${error.describe()}`);
      return error.exitCode;
    }
    output.err(`uf: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
