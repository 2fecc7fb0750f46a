import { request } from 'undici';
import { hostAllowed, type NotificationsConfig } from '../../config/sections/notifications.js';
import type { Clock } from '../../core/clock.js';
import { parseDuration } from '../../core/duration.js';
import type { Db } from '../../store/db.js';
import { backoffMs } from './backoff.js';
import { notifiers } from './index.js';
import { signatureHeader, signPayload } from './signature.js';
import { claimDue, recordAttempt, type AttemptOutcome, type Delivery, type DeliveryAttempt } from './store.js';

export interface DeliveryDeps {
  db: Db;
  clock: Clock;
  config: NotificationsConfig;
  /** Where `urlEnv` and `secretEnv` are read: the composition root's environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** Who holds the claimed deliveries (process and run). */
  holder: string;
  /** Jitter source; Math.random by default. */
  random?: () => number;
  /** Told of each attempt with fixed messages and no URL or secret. */
  log?: (attempt: DeliveryAttempt) => void;
}

/**
 * Sends every due delivery once (in batches of `batch`): 2xx is delivered; 408, 429, 5xx and
 * network errors or timeouts are retried after a backoff until `maxAttempts`; any other answer
 * fails at once (the receiver refuses it, retrying would not help). A host outside `allowHosts` is
 * refused and never contacted. Redirects are not followed (they could leave the allow-list).
 */
export async function deliverDue(deps: DeliveryDeps, options: { batch?: number } = {}): Promise<DeliveryAttempt[]> {
  const timeoutMs = parseDuration(deps.config.delivery.timeout)!;
  const now = deps.clock.now();
  // A lease long enough for the batch's attempts one after another, then free for others.
  const batch = options.batch ?? 20;
  const leaseUntil = new Date(now.getTime() + (timeoutMs + 1_000) * batch).toISOString();
  const claimed = await claimDue(deps.db, deps.holder, now.toISOString(), leaseUntil, batch);
  const attempts: DeliveryAttempt[] = [];
  for (const delivery of claimed) {
    const attempt = await attemptDelivery(deps, delivery, timeoutMs);
    deps.log?.(attempt);
    attempts.push(attempt);
  }
  return attempts;
}

async function attemptDelivery(deps: DeliveryDeps, delivery: Delivery, timeoutMs: number): Promise<DeliveryAttempt> {
  const number = delivery.attempts + 1;
  const started = performance.now();
  const finish = (outcome: AttemptOutcome, statusCode: number | null, error: string | null, retryAfterMs?: number) => {
    const at = deps.clock.now();
    const retry = outcome === 'retry' && number >= deps.config.delivery.maxAttempts ? 'failed' : outcome;
    const backoff = retry === 'retry' ? backoffMs(number, parseDuration(deps.config.delivery.initialBackoff)!, parseDuration(deps.config.delivery.maxBackoff)!, deps.random ?? Math.random) : undefined;
    // The receiver's Retry-After is honoured when it asks for longer than our backoff, up to maxRetryAfter.
    const wait = backoff === undefined || retryAfterMs === undefined ? backoff : Math.max(backoff, Math.min(retryAfterMs, parseDuration(deps.config.delivery.maxRetryAfter)!));
    const exhausted = retry !== outcome ? ` (gave up after ${number} attempts)` : '';
    return recordAttempt(deps.db, delivery, {
      attempt: number,
      outcome: retry,
      statusCode,
      error: error === null ? null : `${error}${exhausted}`,
      durationMs: Math.round(performance.now() - started),
      nextAttemptAt: wait === undefined ? null : new Date(at.getTime() + wait).toISOString(),
      at: at.toISOString(),
    });
  };
  const target = deps.config.targets.find((t) => t.name === delivery.target);
  if (!target) return finish('failed', null, `target '${delivery.target}' is no longer in notifications.targets`);
  const url = target.url ?? deps.env[target.urlEnv!];
  if (!url) return finish('retry', null, `environment variable ${target.urlEnv} (the URL of target '${target.name}') is not set`);
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    host = parsed.hostname;
  } catch {
    return finish('failed', null, `the URL of target '${target.name}' is not an http(s) URL`);
  }
  if (!hostAllowed(host, deps.config.allowHosts)) return finish('refused', null, `host '${host}' is not in notifications.allowHosts`);
  const secret = target.secretEnv === undefined ? undefined : deps.env[target.secretEnv];
  if (target.secretEnv !== undefined && !secret) return finish('retry', null, `environment variable ${target.secretEnv} (the signing secret of target '${target.name}') is not set`);
  const rendered = notifiers[target.format].render(delivery.event);
  const headers: Record<string, string> = { ...rendered.headers, 'user-agent': 'upgrade-factory-webhooks', 'x-uf-delivery': delivery.id, 'x-uf-event-id': delivery.eventId };
  if (secret) headers[signatureHeader] = signPayload(secret, rendered.body, Math.floor(deps.clock.now().getTime() / 1000));
  try {
    const response = await request(url, { method: 'POST', headers, body: rendered.body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    // Drained, not read: a receiver's answer may hold anything and is never logged.
    await response.body.dump();
    const code = response.statusCode;
    if (code >= 200 && code < 300) return finish('delivered', code, null);
    const retryable = code === 408 || code === 429 || code >= 500;
    const retryAfter = retryable ? retryAfterMs(response.headers['retry-after'], deps.clock.now()) : undefined;
    return finish(retryable ? 'retry' : 'failed', code, `the receiver answered ${code}${retryAfter === undefined ? '' : ` (Retry-After ${Math.round(retryAfter / 1000)}s)`}`, retryAfter);
  } catch (error) {
    const name = (error as Error).name;
    const reason = name === 'TimeoutError' || name === 'AbortError' || name.includes('Timeout') ? `no answer within ${deps.config.delivery.timeout}` : `could not reach the receiver (${(error as NodeJS.ErrnoException).code ?? name})`;
    return finish('retry', null, reason);
  }
}

/**
 * RFC 9110 §10.2.3: `Retry-After` is a number of seconds or an HTTP-date. Anything else (or a date
 * in the past) is ignored, and the backoff alone decides.
 */
export function retryAfterMs(header: string | string[] | undefined, now: Date): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date) || !/GMT$/.test(value)) return undefined;
  return date > now.getTime() ? date - now.getTime() : undefined;
}
