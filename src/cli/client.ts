import { UfError, type ErrorCode } from '../core/errors.js';

/**
 * The CLI as a client of a server (`UF_SERVER`, `UF_TOKEN`), like kubectl: the server
 * authenticates the token, checks its role and records the token's person as the actor, so a
 * team's actions carry real identities. Without UF_SERVER the CLI works on the local store and
 * records UF_ACTOR, which anyone who can write the store can set.
 */
export interface ServerClient {
  readonly server: string;
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
}

const knownCodes = new Set<ErrorCode>(['usage', 'config_invalid', 'parse_error', 'import_invalid', 'not_found', 'conflict', 'gate_refused', 'guard_refused', 'illegal_transition', 'unauthorized', 'forbidden', 'store_error', 'source_unavailable', 'input_too_large']);

/** The server client when UF_SERVER is set, else undefined (the local store is used). */
export function serverClient(env: NodeJS.ProcessEnv = process.env): ServerClient | undefined {
  const server = env.UF_SERVER;
  if (!server) return undefined;
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new UfError('usage', `UF_SERVER '${server}' is not a URL such as http://127.0.0.1:7070`, { path: 'UF_SERVER' });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UfError('usage', `UF_SERVER must be an http(s) URL, not ${base.protocol}`, { path: 'UF_SERVER' });
  const token = env.UF_TOKEN;
  if (!token) throw new UfError('usage', 'UF_SERVER is set but UF_TOKEN is not: the server needs a bearer token (uf token create on the server)', { path: 'UF_TOKEN' });
  return {
    server: base.origin,
    async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      const url = new URL(path, base);
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          redirect: 'error',
          signal: AbortSignal.timeout(60_000),
        });
      } catch (error) {
        throw new UfError('source_unavailable', `the server ${base.origin} (UF_SERVER) could not be reached: ${(error as Error).message}`, undefined, { cause: error });
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (!response.ok) {
        const answer = (parsed ?? {}) as { code?: string; message?: string };
        const code = knownCodes.has(answer.code as ErrorCode) ? (answer.code as ErrorCode) : 'source_unavailable';
        throw new UfError(code, `${base.origin} answered ${response.status} to ${method} ${url.pathname}: ${answer.message ?? text.slice(0, 300)}`);
      }
      return parsed as T;
    },
  };
}

/** Refuses a command that has no server mode while UF_SERVER is set, rather than writing the local store as UF_ACTOR. */
export function refuseWithServer(what: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.UF_SERVER) {
    throw new UfError('usage', `UF_SERVER is set, but ${what} has no server mode: it would work on the local store as UF_ACTOR, outside the server's identities; unset UF_SERVER to use the local store`, { path: 'UF_SERVER' });
  }
}
