import { UfError } from '../../core/errors.js';
import type { Db, Tx } from '../db.js';
import type { Store } from '../open.js';
import type { Database } from '../schema.js';
import { appendLog } from './operation-log.js';

/** A person tokens speak for, with the teams (service-map owners) they belong to. */
export interface User {
  name: string;
  displayName: string | null;
  email: string | null;
  teams: string[];
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
}

/** Names as the log writes them (`user:NAME`): letters, digits and `._@-`, so they cannot forge a prefix. */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

export function checkUserName(name: string, field = 'user'): void {
  if (!namePattern.test(name)) throw new UfError('usage', `${field} '${name}' is not a user name: letters, digits and . _ @ - (at most 128), starting with a letter or digit`, { path: field });
}

export async function addUser(store: Store, input: { name: string; displayName?: string; email?: string; teams: string[]; actor: string }): Promise<User> {
  checkUserName(input.name);
  const now = store.clock.now();
  return store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select('name').where('name', '=', input.name).executeTakeFirst();
    if (existing) throw new UfError('conflict', `user ${input.name} exists already (uf user list)`, { record: input.name });
    const row: Database['users'] = {
      name: input.name,
      display_name: input.displayName ?? null,
      email: input.email ?? null,
      teams: JSON.stringify([...new Set(input.teams)].sort()),
      created_at: now.toISOString(),
      created_by: input.actor,
      disabled_at: null,
    };
    await trx.insertInto('users').values(row).execute();
    await appendLog(trx, [{ actor: input.actor, action: 'user.add', subject: `user:${input.name}`, reason: `teams ${row.teams}`, evidenceRef: null }], now);
    return fromRow(row);
  });
}

/** A token bound to a person who is not registered yet registers them, with no teams, in the same transaction. */
export async function ensureUser(trx: Tx, name: string, actor: string, now: Date): Promise<void> {
  checkUserName(name);
  const existing = await trx.selectFrom('users').select('name').where('name', '=', name).executeTakeFirst();
  if (existing) return;
  await trx.insertInto('users').values({ name, display_name: null, email: null, teams: '[]', created_at: now.toISOString(), created_by: actor, disabled_at: null }).execute();
  await appendLog(trx, [{ actor, action: 'user.add', subject: `user:${name}`, reason: 'registered by a token bound to them; teams []', evidenceRef: null }], now);
}

/** Sets a person's teams (replacing them) and logs the change. */
export async function setUserTeams(store: Store, input: { name: string; teams: string[]; actor: string }): Promise<User> {
  const now = store.clock.now();
  return store.db.transaction().execute(async (trx) => {
    const row = await existingUser(trx, input.name);
    const teams = JSON.stringify([...new Set(input.teams)].sort());
    await trx.updateTable('users').set({ teams }).where('name', '=', input.name).execute();
    await appendLog(trx, [{ actor: input.actor, action: 'user.teams', subject: `user:${input.name}`, reason: `teams ${row.teams} -> ${teams}`, evidenceRef: null }], now);
    return fromRow({ ...row, teams });
  });
}

/** Disables a person: every token bound to them is refused from now on. */
export async function disableUser(store: Store, input: { name: string; actor: string; reason: string }): Promise<User> {
  const now = store.clock.now();
  return store.db.transaction().execute(async (trx) => {
    const row = await existingUser(trx, input.name);
    if (row.disabled_at) throw new UfError('conflict', `user ${input.name} was already disabled at ${row.disabled_at}`, { record: input.name });
    await trx.updateTable('users').set({ disabled_at: now.toISOString() }).where('name', '=', input.name).execute();
    await appendLog(trx, [{ actor: input.actor, action: 'user.disable', subject: `user:${input.name}`, reason: input.reason, evidenceRef: null }], now);
    return fromRow({ ...row, disabled_at: now.toISOString() });
  });
}

export async function getUser(db: Db, name: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await db.selectFrom('users').selectAll().orderBy('name').execute()).map(fromRow);
}

async function existingUser(trx: Tx, name: string): Promise<Database['users']> {
  const row = await trx.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw new UfError('not_found', `no user ${name} (uf user list shows them)`, { record: name });
  return row;
}

function fromRow(row: Database['users']): User {
  return {
    name: row.name,
    displayName: row.display_name,
    email: row.email,
    teams: JSON.parse(row.teams) as string[],
    createdAt: row.created_at,
    createdBy: row.created_by,
    disabledAt: row.disabled_at,
  };
}
