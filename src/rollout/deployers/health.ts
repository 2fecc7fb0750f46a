import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { HealthResult } from './types.js';

export interface HealthCheckOptions {
  /** How long the whole wait may take, ms. */
  timeoutMs: number;
  /** Pause between two attempts, ms. */
  intervalMs: number;
  /** Limit of one attempt, ms (capped by what is left of `timeoutMs`). */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * GETs `url` until it answers 2xx or `timeoutMs` has passed: the gate a deployed canary passes
 * before it takes traffic. Resolves either way (never rejects), with the attempts and the last
 * failure as evidence. Durations come from performance.now(), not the wall clock.
 */
export async function waitHealthy(url: string, options: HealthCheckOptions): Promise<HealthResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  let attempts = 0;
  let lastStatus: number | undefined;
  let lastError: string | undefined;
  // An attempt with less time than this left could not succeed: it would only hide the last real failure.
  const minAttemptMs = Math.min(options.requestTimeoutMs ?? options.timeoutMs, 50);
  for (;;) {
    const left = options.timeoutMs - elapsed();
    if (left <= 0 || (attempts > 0 && left < minAttemptMs) || options.signal?.aborted) break;
    attempts += 1;
    const outcome = await probe(url, Math.max(1, Math.ceil(Math.min(options.requestTimeoutMs ?? left, left))), options.signal);
    lastStatus = outcome.status;
    if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
      return { ok: true, url, attempts, durationMs: Math.round(elapsed()), lastStatus };
    }
    lastError = outcome.error ?? `answered ${outcome.status}`;
    const pause = Math.min(options.intervalMs, options.timeoutMs - elapsed());
    if (pause <= 0) break;
    try {
      await sleep(pause, undefined, options.signal ? { signal: options.signal } : {});
    } catch {
      break;
    }
  }
  const result: HealthResult = { ok: false, url, attempts, durationMs: Math.round(elapsed()), lastError: lastError ?? (options.signal?.aborted ? 'cancelled' : 'no attempt fitted in the timeout') };
  if (lastStatus !== undefined) result.lastStatus = lastStatus;
  return result;
}

async function probe(url: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<{ status?: number; error?: string }> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await request(url, { method: 'GET', signal: signal ? AbortSignal.any([signal, timeout]) : timeout, headers: { 'user-agent': 'upgrade-factory-health' } });
    await response.body.dump();
    return { status: response.statusCode };
  } catch (error) {
    if (timeout.aborted) return { error: `no answer within ${timeoutMs} ms` };
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    return { error: cause ? `${cause}: ${(error as Error).message}` : (error as Error).message };
  }
}

/** The health URL of a deployed variant: the configured one, else `path` under the URL the deploy reported. */
export function healthUrl(configured: string | undefined, path: string, deployedUrl: string | undefined): string | undefined {
  if (configured !== undefined) return configured;
  if (deployedUrl === undefined) return undefined;
  return new URL(path, deployedUrl.endsWith('/') ? deployedUrl : `${deployedUrl}/`).toString();
}
