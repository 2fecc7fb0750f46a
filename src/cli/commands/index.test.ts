import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { processOutput } from '../output.js';
import { commandEntries, selectedCommand } from './index.js';

describe('command table', () => {
  it('finds the command argv runs past global options, and the command `help` names', () => {
    expect(selectedCommand(['--help'])).toBeUndefined();
    expect(selectedCommand(['-c', 'catalog', 'upgrades', 'list'])).toBe('upgrades');
    expect(selectedCommand(['--config', 'x.yaml', '--debug', 'intake', 'run'])).toBe('intake');
    expect(selectedCommand(['--config=x.yaml', 'log', 'verify'])).toBe('log');
    expect(selectedCommand(['help', 'catalog'])).toBe('catalog');
    expect(selectedCommand(['help'])).toBeUndefined();
  });

  it('lists each command as its own code registers it: same name, description and arguments', async () => {
    for (const entry of commandEntries) {
      const program = new Command('uf');
      (await entry.load())(program, { output: processOutput, exitCode: 0 });
      const registered = program.commands.find((c) => c.name() === entry.name);
      expect(registered, entry.name).toBeDefined();
      expect(registered!.description(), entry.name).toBe(entry.description);
      const args = registered!.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ');
      expect(args, entry.name).toBe(entry.args ?? '');
    }
  }, 60_000);
});
