import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { starterConfig } from '../../config/starter.js';
import { UfError } from '../../core/errors.js';
import { action, type CliRuntime } from '../main.js';

export function registerInit(program: Command, runtime: CliRuntime): void {
  program
    .command('init')
    .description('write a commented starter factory.yaml')
    .argument('[file]', 'where to write it', 'factory.yaml')
    .option('--force', 'overwrite an existing file')
    .action(
      action(runtime, async (file: string, options: { force?: boolean }) => {
        if (existsSync(file) && !options.force) throw new UfError('usage', `${file} already exists; use --force to overwrite it`, { file });
        const folder = dirname(file);
        if (!existsSync(folder)) throw new UfError('usage', `cannot write ${file}: folder ${folder} does not exist (create it first)`, { file });
        if (!statSync(folder).isDirectory()) throw new UfError('usage', `cannot write ${file}: ${folder} is not a folder`, { file });
        writeFileSync(file, starterConfig);
        runtime.output.out(`wrote ${file}; edit it, then run: uf catalog import && uf inventory import`);
        return 0;
      }),
    );
}
