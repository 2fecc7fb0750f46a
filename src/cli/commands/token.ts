import type { Command } from 'commander';
import { roles, type Role } from '../../core/roles.js';
import { checkKnown } from '../../core/known-names.js';
import { rotationGrace, tokenExpiry } from '../../governance/identities/token-expiry.js';
import { createToken, listTokens, revokeToken, rotateToken, type ApiToken } from '../../store/repos/tokens.js';
import { serverClient } from '../client.js';
import { currentActor, withStore, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { formatTable, printJson } from '../output.js';

type Created = { token: ApiToken; secret: string; replaced?: ApiToken };

/** `uf token`: on the local store, or through the server when UF_SERVER is set (as the token's person). */
export function registerToken(program: Command, runtime: CliRuntime): void {
  const token = program.command('token').description('API bearer tokens: create, list, rotate, revoke');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const printCreated = (created: Created, json: boolean | undefined, verb: string): number => {
    if (json) printJson(runtime.output, { ...created.token, secret: created.secret, ...(created.replaced ? { replaced: created.replaced } : {}) });
    else {
      const t = created.token;
      const lines = [`token ${t.id} ${verb} (${t.role}${t.user ? `, for user:${t.user}` : ''}, ${t.expiresAt ? `expires ${t.expiresAt}` : 'never expires'})`];
      if (created.replaced) lines.push(`${created.replaced.id} stops working ${created.replaced.expiresAt ? `at ${created.replaced.expiresAt}` : 'now'}`);
      lines.push('secret, shown only now:', created.secret);
      runtime.output.out(lines.join('\n'));
    }
    return 0;
  };

  token
    .command('create')
    .description('create a token; its secret is printed once and stored only as a hash')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--user <name>', 'the person the token speaks for: what it does is logged as user:<name>')
    .option('--expires-in <duration>', 'how long it works, e.g. 30d, or never (tokens.defaultExpiry when absent; at most tokens.maxExpiry)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { role: string; name: string; user?: string; expiresIn?: string; json?: boolean }) => {
        checkKnown('role', '--role', options.role, roles, 'usage');
        const client = serverClient();
        if (client) {
          const body = { name: options.name, role: options.role, ...(options.user ? { user: options.user } : {}), ...(options.expiresIn ? { expiresIn: options.expiresIn } : {}) };
          return printCreated(await client.call<Created>('POST', '/api/v1/tokens', body), options.json, 'created');
        }
        return withStore(global(), async (store, loaded) => {
          const expiresAt = tokenExpiry(loaded.config.tokens, options.expiresIn, store.clock.now());
          const created = await createToken(store, { name: options.name, role: options.role as Role, actor: currentActor(), expiresAt, ...(options.user ? { user: options.user } : {}) });
          return printCreated(created, options.json, 'created');
        });
      }),
    );

  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { json?: boolean }) => {
        const client = serverClient();
        const tokens = client ? await client.call<ApiToken[]>('GET', '/api/v1/tokens') : await withStore(global(), (store) => listTokens(store.db), 'read');
        if (options.json) printJson(runtime.output, tokens);
        else
          runtime.output.out(
            formatTable(
              ['ID', 'NAME', 'ROLE', 'USER', 'CREATED', 'EXPIRES', 'LAST USED', 'STATE'],
              tokens.map((t) => [t.id, t.name, t.role, t.user ?? '-', t.createdAt, t.expiresAt ?? 'never', t.lastUsedAt ?? '-', t.revokedAt ? `revoked ${t.revokedAt}` : t.replacedBy ? `rotated to ${t.replacedBy}` : 'active']),
            ),
          );
        return 0;
      }),
    );

  token
    .command('rotate')
    .description('replace a token by a new secret with the same name, role and person; the old one stops now or after --grace')
    .argument('<id>', 'token id (uf token list)')
    .option('--grace <duration>', 'how long the old secret keeps working, e.g. 1h (tokens.rotationGrace when absent)')
    .option('--expires-in <duration>', 'how long the new one works (tokens.defaultExpiry when absent)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (id: string, options: { grace?: string; expiresIn?: string; json?: boolean }) => {
        const client = serverClient();
        if (client) {
          const body = { ...(options.grace ? { grace: options.grace } : {}), ...(options.expiresIn ? { expiresIn: options.expiresIn } : {}) };
          return printCreated(await client.call<Created>('POST', `/api/v1/tokens/${encodeURIComponent(id)}/rotate`, body), options.json, 'replaces it');
        }
        return withStore(global(), async (store, loaded) => {
          const graceMs = rotationGrace(loaded.config.tokens, options.grace);
          const expiresAt = tokenExpiry(loaded.config.tokens, options.expiresIn, store.clock.now());
          const rotated = await rotateToken(store, { id, actor: currentActor(), graceMs, expiresAt });
          return printCreated({ token: rotated.token, secret: rotated.secret, replaced: rotated.old }, options.json, 'replaces it');
        });
      }),
    );

  token
    .command('revoke')
    .description('revoke a token for good: its requests are refused from now on')
    .argument('<id>', 'token id (uf token list)')
    .requiredOption('--reason <text>', 'why; recorded in the operation log')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (id: string, options: { reason: string; json?: boolean }) => {
        const client = serverClient();
        const revoked = client
          ? await client.call<ApiToken>('POST', `/api/v1/tokens/${encodeURIComponent(id)}/revoke`, { reason: options.reason })
          : await withStore(global(), (store) => revokeToken(store, { id, actor: currentActor(), reason: options.reason }));
        if (options.json) printJson(runtime.output, revoked);
        else runtime.output.out(`token ${revoked.id} revoked at ${revoked.revokedAt} by ${revoked.revokedBy}`);
        return 0;
      }),
    );
}
