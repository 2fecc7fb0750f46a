import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { Rate, Trend } from './metrics.js';

export interface ProbePlan {
  url: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  /** Requests started per second, on schedule. */
  rate: number;
  durationMs: number;
  requestTimeoutMs: number;
  signal: AbortSignal;
  /** Open requests at most; rate × requestTimeout + 1 (within `inFlightCeiling`) when absent. */
  maxInFlight?: number;
}

/** What the probe measured, under k6's metric names. */
export interface ProbeMeasures {
  /** Time from sending to the end of the answer's body, ms, for every request that got an answer. */
  httpReqDuration: Trend;
  /** Failed: status ≥ 400 or no answer (refused, reset, timed out), as k6's default `expected_response` (200–399). */
  httpReqFailed: Rate;
  /** Requests sent and ended, answered or not. */
  httpReqs: number;
  /** The probe's one check per request, `status is 2xx-3xx`. */
  checks: Rate;
  /** Starts skipped because `maxInFlight` requests were still open (k6's dropped_iterations). */
  droppedIterations: number;
  maxInFlight: number;
  /** Answers by status code, and requests without an answer by error code. */
  statuses: Record<string, number>;
  errors: Record<string, number>;
  /** Bytes of answer bodies read (k6's data_received counts headers too; this does not). */
  dataReceived: number;
  /** From the first start to the end of the last request. */
  elapsedMs: number;
  aborted: boolean;
}

/** However high rate × requestTimeout goes, no more requests than this are open at once. */
export const inFlightCeiling = 1_000;

/**
 * Sends `rate` requests per second for `durationMs` to the plan's URL, k6's constant-arrival-rate
 * model: request i starts at i / rate seconds whether or not earlier ones have ended (an open model,
 * so a slow server does not slow the load down and hide its own latency). Open requests are capped
 * at rate × requestTimeout + 1 (at most `inFlightCeiling`); a start due while the cap is reached is
 * dropped and counted, as k6 counts dropped_iterations. Redirects are not followed: the probe sends
 * to the configured URL only. Never rejects.
 */
export async function runProbe(plan: ProbePlan): Promise<ProbeMeasures> {
  const maxInFlight = plan.maxInFlight ?? Math.min(inFlightCeiling, Math.ceil((plan.rate * plan.requestTimeoutMs) / 1000) + 1);
  const measures: ProbeMeasures = {
    httpReqDuration: new Trend(),
    httpReqFailed: new Rate(),
    httpReqs: 0,
    checks: new Rate(),
    droppedIterations: 0,
    maxInFlight,
    dataReceived: 0,
    statuses: {},
    errors: {},
    elapsedMs: 0,
    aborted: false,
  };
  const agent = new Agent({ connections: maxInFlight, pipelining: 1 });
  const open = new Set<Promise<void>>();
  const stops = new Set<AbortController>();
  const stopAll = () => {
    for (const stop of stops) stop.abort(plan.signal.reason);
  };
  plan.signal.addEventListener('abort', stopAll, { once: true });
  const total = Math.ceil((plan.rate * plan.durationMs) / 1000);
  const intervalMs = 1000 / plan.rate;
  const started = performance.now();
  try {
    for (let next = 0; next < total && !plan.signal.aborted; ) {
      const now = performance.now() - started;
      for (; next < total && next * intervalMs <= now; next += 1) {
        if (open.size >= maxInFlight) {
          measures.droppedIterations += 1;
          continue;
        }
        const pending = sendOne(plan, agent, measures, stops).finally(() => open.delete(pending));
        open.add(pending);
      }
      if (next < total) await sleep(Math.max(0, next * intervalMs - (performance.now() - started)), undefined, { signal: plan.signal }).catch(() => undefined);
    }
    await Promise.all(open);
  } finally {
    plan.signal.removeEventListener('abort', stopAll);
    measures.elapsedMs = performance.now() - started;
    measures.aborted = plan.signal.aborted;
    await (plan.signal.aborted ? agent.destroy() : agent.close()).catch(() => undefined);
  }
  return measures;
}

async function sendOne(plan: ProbePlan, agent: Agent, measures: ProbeMeasures, stops: Set<AbortController>): Promise<void> {
  // One controller per request, aborted by its own timer or by the run's signal through `stops`
  // (not AbortSignal.any, whose followers pile up on the long-lived run signal).
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('request timeout')), plan.requestTimeoutMs);
  stops.add(controller);
  const sent = performance.now();
  try {
    const response = await request(plan.url, { dispatcher: agent, method: plan.method, headers: plan.headers, body: plan.body ?? null, signal: controller.signal });
    // The answer is read to its end (and let go): k6's duration includes receiving the body.
    for await (const chunk of response.body as AsyncIterable<Buffer>) measures.dataReceived += chunk.length;
    if (plan.signal.aborted) return;
    measures.httpReqs += 1;
    measures.httpReqDuration.add(performance.now() - sent);
    const expected = response.statusCode >= 200 && response.statusCode < 400;
    measures.httpReqFailed.add(!expected);
    measures.checks.add(expected);
    const status = String(response.statusCode);
    measures.statuses[status] = (measures.statuses[status] ?? 0) + 1;
  } catch (error) {
    if (plan.signal.aborted) return;
    measures.httpReqs += 1;
    measures.httpReqFailed.add(true);
    measures.checks.add(false);
    const code = controller.signal.aborted ? 'request timeout' : errorCode(error);
    measures.errors[code] = (measures.errors[code] ?? 0) + 1;
  } finally {
    clearTimeout(timer);
    stops.delete(controller);
  }
}

function errorCode(error: unknown): string {
  const withCode = error as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
  return String(withCode.cause?.code ?? withCode.code ?? withCode.message ?? error);
}
