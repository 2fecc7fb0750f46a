import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from '../../core/ids.js';
import type { Role } from '../../core/roles.js';
import type { Db } from '../db.js';
import type { Store } from '../open.js';
import type { Database } from '../schema.js';
import { appendLog } from './operation-log.js';

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
}

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
  input: { name: string; role: Role; actor: string; user?: string; now?: Date },
): Promise<{ token: ApiToken; secret: string }> {
  const now = input.now ?? store.clock.now();
  const secret = secretPrefix + randomBytes(32).toString('base64url');
  const token: ApiToken = { id: newId('tok'), name: input.name, role: input.role, createdAt: now.toISOString(), createdBy: input.actor, revokedAt: null, lastUsedAt: null, user: input.user ?? null };
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('api_tokens')
      .values({ id: token.id, name: token.name, role: token.role, secret_hash: hashSecret(secret), created_at: token.createdAt, created_by: token.createdBy, revoked_at: null, last_used_at: null, user_name: token.user })
      .execute();
    await appendLog(trx, [{ actor: input.actor, action: 'token.create', subject: token.id, reason: `token '${token.name}' with role ${token.role}${token.user ? ` for ${token.user}` : ''}`, evidenceRef: null }], now);
  });
  return { token, secret };
}

/** The token a bearer secret belongs to, if it is valid and not revoked. */
export async function authenticate(db: Db, secret: string): Promise<ApiToken | undefined> {
  if (!secret.startsWith(secretPrefix)) return undefined;
  const hash = hashSecret(secret);
  const row = await db.selectFrom('api_tokens').selectAll().where('secret_hash', '=', hash).executeTakeFirst();
  // The lookup is by hash, so timing does not reveal the secret; compare again in constant time anyway.
  if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), Buffer.from(hash)) || row.revoked_at !== null) return undefined;
  return fromRow(row);
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
  };
}
