import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UfError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Role } from '../../core/roles.js';
import type { Db, Tx } from '../db.js';
import type { Store } from '../open.js';
import type { Database } from '../schema.js';
import { appendLog } from './operation-log.js';
import { ensureUser } from './users.js';

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  /** The person the token speaks for; null when it was created without one. */
  user: string | null;
  /** After this instant the token is refused; null: it never expires. */
  expiresAt: string | null;
  /** The token that replaced this one when it was rotated. */
  replacedBy: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

/** Why a bearer secret was refused; `tokenId` only when the secret matched a stored token. */
export type BearerRefusal = { problem: 'unknown' | 'revoked' | 'expired' | 'disabled'; tokenId?: string; message: string };

/**
 * Who a token's requests are made by, for the operation log and segregation of duties:
 * `user:<name>` for a token bound to a person, else `token:<id>` (the token itself, never its
 * creator: an admin who creates tokens does not act through them).
 */
export function identityOf(token: Pick<ApiToken, 'id' | 'user'>): string {
  return token.user ? `user:${token.user}` : `token:${token.id}`;
}

/** Secrets carry a recognisable prefix so secret scanners can find leaked ones. */
const secretPrefix = 'uf_';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a token and returns its secret, which is shown once: only its hash is stored. */
export async function createToken(
  store: Store,
  input: { name: string; role: Role; actor: string; user?: string; expiresAt?: Date | null; now?: Date },
): Promise<{ token: ApiToken; secret: string }> {
  const now = input.now ?? store.clock.now();
  return store.db.transaction().execute((trx) => insertToken(trx, { ...input, expiresAt: input.expiresAt ?? null }, now));
}

async function insertToken(
  trx: Tx,
  input: { name: string; role: Role; actor: string; user?: string; expiresAt: Date | null; action?: string; reason?: string },
  now: Date,
): Promise<{ token: ApiToken; secret: string }> {
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw new UfError('usage', `a token must expire after its creation (${now.toISOString()}), not at ${input.expiresAt.toISOString()}`);
  if (input.user) await ensureUser(trx, input.user, input.actor, now);
  const secret = secretPrefix + randomBytes(32).toString('base64url');
  const token: ApiToken = {
    id: newId('tok'),
    name: input.name,
    role: input.role,
    createdAt: now.toISOString(),
    createdBy: input.actor,
    revokedAt: null,
    lastUsedAt: null,
    user: input.user ?? null,
    expiresAt: input.expiresAt?.toISOString() ?? null,
    replacedBy: null,
    revokedBy: null,
    revokeReason: null,
  };
  await trx
    .insertInto('api_tokens')
    .values({
      id: token.id,
      name: token.name,
      role: token.role,
      secret_hash: hashSecret(secret),
      created_at: token.createdAt,
      created_by: token.createdBy,
      revoked_at: null,
      last_used_at: null,
      user_name: token.user,
      expires_at: token.expiresAt,
      replaced_by: null,
      revoked_by: null,
      revoke_reason: null,
    })
    .execute();
  const about = `token '${token.name}' with role ${token.role}${token.user ? ` for ${token.user}` : ''}, ${token.expiresAt ? `expires ${token.expiresAt}` : 'never expires'}`;
  await appendLog(trx, [{ actor: input.actor, action: input.action ?? 'token.create', subject: token.id, reason: input.reason ? `${input.reason}; ${about}` : about, evidenceRef: null }], now);
  return { token, secret };
}

/**
 * Replaces a token by a new one with the same name, role and person and a new secret. The old
 * token stops working at once, or after `graceMs` so that deployments can switch over.
 */
export async function rotateToken(
  store: Store,
  input: { id: string; actor: string; graceMs: number; expiresAt: Date | null },
): Promise<{ token: ApiToken; secret: string; old: ApiToken }> {
  const now = store.clock.now();
  return store.db.transaction().execute(async (trx) => {
    const old = await liveToken(trx, input.id, now);
    const oldEnds = new Date(now.getTime() + input.graceMs);
    const created = await insertToken(
      trx,
      { name: old.name, role: old.role, actor: input.actor, ...(old.user ? { user: old.user } : {}), expiresAt: input.expiresAt, action: 'token.rotate', reason: `replaces ${old.id}, which ${input.graceMs > 0 ? `stops working at ${oldEnds.toISOString()}` : 'stops working now'}` },
      now,
    );
    const ends = old.expiresAt && old.expiresAt < oldEnds.toISOString() ? old.expiresAt : oldEnds.toISOString();
    await trx.updateTable('api_tokens').set({ expires_at: ends, replaced_by: created.token.id }).where('id', '=', old.id).execute();
    return { ...created, old: { ...old, expiresAt: ends, replacedBy: created.token.id } };
  });
}

/** Revokes a token for good; its requests are refused from now on. Revoking twice is refused. */
export async function revokeToken(store: Store, input: { id: string; actor: string; reason: string }): Promise<ApiToken> {
  const now = store.clock.now();
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('api_tokens').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!row) throw new UfError('not_found', `no token ${input.id} (uf token list shows them)`, { record: input.id });
    if (row.revoked_at) throw new UfError('conflict', `token ${input.id} was already revoked at ${row.revoked_at} by ${row.revoked_by ?? 'unknown'}`, { record: input.id });
    await trx.updateTable('api_tokens').set({ revoked_at: now.toISOString(), revoked_by: input.actor, revoke_reason: input.reason }).where('id', '=', input.id).execute();
    await appendLog(trx, [{ actor: input.actor, action: 'token.revoke', subject: input.id, reason: input.reason, evidenceRef: null }], now);
    return fromRow({ ...row, revoked_at: now.toISOString(), revoked_by: input.actor, revoke_reason: input.reason });
  });
}

async function liveToken(trx: Tx, id: string, now: Date): Promise<ApiToken> {
  const row = await trx.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new UfError('not_found', `no token ${id} (uf token list shows them)`, { record: id });
  const refusal = refusalOf(row, now);
  if (refusal) throw new UfError('conflict', `token ${id} cannot be rotated: ${refusal.message}`, { record: id });
  return fromRow(row);
}

/** The token a bearer secret belongs to, if it is valid now: not revoked, not expired, its person not disabled. */
export async function authenticate(db: Db, secret: string, now: Date): Promise<ApiToken | undefined> {
  const checked = await checkBearer(db, secret, now);
  return 'token' in checked ? checked.token : undefined;
}

/** Checks a bearer secret and says why it is refused, so the refusal can be answered and recorded. */
export async function checkBearer(db: Db, secret: string, now: Date): Promise<{ token: ApiToken } | BearerRefusal> {
  const unknown: BearerRefusal = { problem: 'unknown', message: 'the bearer token is unknown' };
  if (!secret.startsWith(secretPrefix)) return unknown;
  const hash = hashSecret(secret);
  const row = await db.selectFrom('api_tokens').selectAll().where('secret_hash', '=', hash).executeTakeFirst();
  // The lookup is by hash, so timing does not reveal the secret; compare again in constant time anyway.
  if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), Buffer.from(hash))) return unknown;
  const refusal = refusalOf(row, now);
  if (refusal) return refusal;
  if (row.user_name) {
    const user = await db.selectFrom('users').select('disabled_at').where('name', '=', row.user_name).executeTakeFirst();
    if (user?.disabled_at) return { problem: 'disabled', tokenId: row.id, message: `the bearer token's person ${row.user_name} was disabled at ${user.disabled_at}` };
  }
  return { token: fromRow(row) };
}

function refusalOf(row: Database['api_tokens'], now: Date): BearerRefusal | undefined {
  if (row.revoked_at !== null) return { problem: 'revoked', tokenId: row.id, message: `the bearer token ${row.id} was revoked at ${row.revoked_at}` };
  if (row.expires_at !== null && row.expires_at <= now.toISOString()) {
    return { problem: 'expired', tokenId: row.id, message: `the bearer token ${row.id} expired at ${row.expires_at}${row.replaced_by ? ` (it was rotated; ${row.replaced_by} replaces it)` : ''}` };
  }
  return undefined;
}

export async function touchToken(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', id).execute();
}

export async function listTokens(db: Db): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().orderBy('created_at').execute();
  return rows.map(fromRow);
}

function fromRow(row: Database['api_tokens']): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    user: row.user_name ?? null,
    expiresAt: row.expires_at ?? null,
    replacedBy: row.replaced_by ?? null,
    revokedBy: row.revoked_by ?? null,
    revokeReason: row.revoke_reason ?? null,
  };
}
