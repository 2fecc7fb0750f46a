import type { Command } from 'commander';
import { roles, type Role } from '../../core/roles.js';
import { checkKnown } from '../../core/known-names.js';
import { createToken, listTokens } from '../../store/repos/tokens.js';
import { currentActor, withStore, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

export function registerToken(program: Command, runtime: CliRuntime): void {
  const token = program.command('token').description('API bearer tokens');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();

  token
    .command('create')
    .description('create a token; its secret is printed once and stored only as a hash')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--user <name>', 'the person the token speaks for: approvals and rollouts through the API carry user:<name>')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (options: { role: string; name: string; user?: string; json?: boolean }) => {
        checkKnown('role', '--role', options.role, roles, 'usage');
        return withStore(global(), async (store) => {
          const created = await createToken(store, { name: options.name, role: options.role as Role, actor: currentActor(), ...(options.user ? { user: options.user } : {}) });
          if (options.json) printJson(runtime.output, { ...created.token, secret: created.secret });
          else runtime.output.out(`token ${created.token.id} (${created.token.role}${created.token.user ? `, for user:${created.token.user}` : ''}); secret, shown only now:\n${created.secret}`);
          return 0;
        });
      }),
    );

  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (options: { json?: boolean }) =>
        withStore(global(), async (store) => {
          const tokens = await listTokens(store.db);
          if (options.json) printJson(runtime.output, tokens);
          else runtime.output.out(formatTable(['ID', 'NAME', 'ROLE', 'USER', 'CREATED', 'LAST USED'], tokens.map((t) => [t.id, t.name, t.role, t.user ?? '-', t.createdAt, t.lastUsedAt ?? '-'])));
          return 0;
        }),
      ),
    );
}
