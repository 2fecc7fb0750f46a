import type { Command } from 'commander';
import { listTeams, type TeamView } from '../../governance/identities/teams.js';
import { addUser, disableUser, listUsers, setUserTeams, type User } from '../../store/repos/users.js';
import type { ApiToken } from '../../store/repos/tokens.js';
import { serverClient } from '../client.js';
import { currentActor, withStore, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `uf user`: the people tokens speak for and their teams. */
export function registerUser(program: Command, runtime: CliRuntime): void {
  const user = program.command('user').description('people tokens speak for, and their teams');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const printUser = (u: User, json?: boolean): number => {
    if (json) printJson(runtime.output, u);
    else runtime.output.out(`user ${u.name}: teams ${u.teams.join(', ') || '-'}${u.disabledAt ? `, disabled ${u.disabledAt}` : ''}`);
    return 0;
  };

  user
    .command('add')
    .description('register a person; tokens made with --user NAME speak for them')
    .argument('<name>', 'user name: letters, digits and . _ @ -')
    .option('--team <team>', 'a team they are in, as the service map names owners (payments or group:default/payments); repeatable', collect, [])
    .option('--display-name <text>')
    .option('--email <address>')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (name: string, options: { team: string[]; displayName?: string; email?: string; json?: boolean }) => {
        const input = { name, teams: options.team, ...(options.displayName ? { displayName: options.displayName } : {}), ...(options.email ? { email: options.email } : {}) };
        const client = serverClient();
        const added = client ? await client.call<User>('POST', '/api/v1/users', input) : await withStore(global(), (store) => addUser(store, { ...input, actor: currentActor() }));
        return printUser(added, options.json);
      }),
    );

  user
    .command('teams')
    .description("set a person's teams (replacing them)")
    .argument('<name>')
    .option('--team <team>', 'repeatable; none clears them', collect, [])
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (name: string, options: { team: string[]; json?: boolean }) =>
        withStore(global(), async (store) => printUser(await setUserTeams(store, { name, teams: options.team, actor: currentActor() }), options.json)),
      ),
    );

  user
    .command('disable')
    .description('disable a person: every token bound to them is refused from now on')
    .argument('<name>')
    .requiredOption('--reason <text>', 'why; recorded in the operation log')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (name: string, options: { reason: string; json?: boolean }) => {
        const client = serverClient();
        const disabled = client
          ? await client.call<User>('POST', `/api/v1/users/${encodeURIComponent(name)}/disable`, { reason: options.reason })
          : await withStore(global(), (store) => disableUser(store, { name, actor: currentActor(), reason: options.reason }));
        return printUser(disabled, options.json);
      }),
    );

  user
    .command('list')
    .description('registered people')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { json?: boolean }) => {
        const client = serverClient();
        const users = client ? await client.call<User[]>('GET', '/api/v1/users') : await withStore(global(), (store) => listUsers(store.db), 'read');
        if (options.json) printJson(runtime.output, users);
        else runtime.output.out(formatTable(['USER', 'TEAMS', 'EMAIL', 'CREATED', 'STATE'], users.map((u) => [u.name, u.teams.join(', ') || '-', u.email ?? '-', u.createdAt, u.disabledAt ? `disabled ${u.disabledAt}` : 'active'])));
        return 0;
      }),
    );
}

/** `uf team list`: owners from the service map and the teams people are in. */
export function registerTeam(program: Command, runtime: CliRuntime): void {
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  program
    .command('team')
    .description('teams: the owners in the service map, with their services and members')
    .command('list')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { json?: boolean }) => {
        const client = serverClient();
        const teams = client ? await client.call<TeamView[]>('GET', '/api/v1/teams') : await withStore(global(), (store) => listTeams(store.db), 'read');
        if (options.json) printJson(runtime.output, teams);
        else runtime.output.out(formatTable(['TEAM', 'SERVICES', 'MEMBERS'], teams.map((t) => [t.ref, t.services.join(', ') || '-', t.members.join(', ') || '-'])));
        return 0;
      }),
    );
}

/** `uf whoami`: who the CLI acts as — the server's answer for UF_TOKEN, or UF_ACTOR on the local store. */
export function registerWhoami(program: Command, runtime: CliRuntime): void {
  program
    .command('whoami')
    .description('who the CLI acts as: the token\'s person through UF_SERVER, or UF_ACTOR on the local store')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { json?: boolean }) => {
        const client = serverClient();
        if (client) {
          const me = await client.call<{ identity: string; token: ApiToken; teams: string[] }>('GET', '/api/v1/whoami');
          if (options.json) printJson(runtime.output, { server: client.server, ...me });
          else runtime.output.out(`${me.identity} at ${client.server}: role ${me.token.role}, token ${me.token.id}${me.token.expiresAt ? ` (expires ${me.token.expiresAt})` : ''}; teams ${me.teams.join(', ') || '-'}`);
          return 0;
        }
        const actor = currentActor();
        if (options.json) printJson(runtime.output, { server: null, identity: actor, verified: false });
        else runtime.output.out(`${actor} on the local store (UF_ACTOR or the login name, not verified: anyone who can write the store can set it; set UF_SERVER and UF_TOKEN to act through a server)`);
        return 0;
      }),
    );
}
