import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };

/** The server's error body: a code and a message written for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let token: string | undefined;
let onUnauthorized: (() => void) | undefined;

/** The token every call carries; set at sign-in, cleared at sign-out. */
export function setApiToken(value: string | undefined, unauthorized?: () => void): void {
  token = value;
  onUnauthorized = unauthorized;
}

export function currentToken(): string | undefined {
  return token;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized?.();
    return response;
  },
};

/** The typed client: paths, parameters and bodies come from the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** Unwraps an openapi-fetch result: the data, or an ApiError with the server's own words. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  const body = (error ?? {}) as { code?: string; message?: string };
  throw new ApiError(response.status, body.code ?? String(response.status), body.message ?? response.statusText);
}

/** The JSON a route answers 200 with, by path and method. */
export type Ok<P extends keyof paths, M extends keyof paths[P] = 'get' & keyof paths[P]> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;

export type UpgradeItem = Ok<'/api/v1/upgrades'>['items'][number];
export type UpgradeState = UpgradeItem['state'];
export type Role = Ok<'/api/v1/whoami'>['token']['role'];
