import type { Clock } from '../../core/clock.js';
import type { BrowserLauncher } from './browser.js';

/**
 * A journey's outcome, defined plainly:
 * - `failing`: a check of a step did not hold (after its retries), a step got no answer, a
 *   threshold marked `abortOnFail` was breached, or the browser a browser step needs is missing;
 * - `degraded`: every check held, but a threshold without `abortOnFail` was breached or a step
 *   passed only on a retry;
 * - `passing`: every check held at the first try and every threshold held.
 * Only `passing` counts as a pass for a gate: degraded never does.
 */
export type JourneyState = 'passing' | 'degraded' | 'failing';

/** Where a journey runs: a base URL for relative step URLs, and headers sent with every request (a forcing header or cookie). */
export interface ProbeTarget {
  baseUrl: string;
  headers?: Record<string, string>;
}

export interface ProbeDeps {
  /** Dates the run. */
  clock: Clock;
  /** A monotonic reading in ms for latencies; `performance.now` by default. */
  monotonicMs?: () => number;
  /** Starts chromium for browser steps; playwright-core's by default. */
  browser?: BrowserLauncher;
}

export interface ProbeOptions {
  /** Runs of the whole journey; the journey's own `iterations` by default. */
  iterations?: number;
}

/** One check of one step: what was expected, what was seen. */
export interface CheckOutcome {
  check: 'status' | 'bodyContains' | 'json' | 'maxLatency' | 'capture' | 'answer' | 'redirect' | 'text' | 'action';
  ok: boolean;
  expected: string;
  actual: string;
}

export interface StepResult {
  index: number;
  name: string;
  kind: 'http' | 'browser';
  /** `GET http://…/cart`, or `goto http://…`, `click #buy`. */
  request: string;
  /** The HTTP status of the last try; absent for browser steps and requests with no answer. */
  status?: number;
  latencyMs: number;
  /** How many tries it took (1 without a retry). */
  tries: number;
  ok: boolean;
  checks: CheckOutcome[];
  /** Values captured, with secrets (names like token, secret, password, key, session) shown as `[redacted]`. */
  captures: Record<string, string>;
}

export interface IterationResult {
  iteration: number;
  ok: boolean;
  durationMs: number;
  steps: StepResult[];
}

export interface ThresholdOutcome {
  metric: string;
  threshold: string;
  abortOnFail: boolean;
  ok: boolean;
  observed: number;
}

export interface JourneyResult {
  journey: string;
  service: string;
  target: string;
  state: JourneyState;
  /** Why the state is not `passing`, one sentence each; empty when passing. */
  reasons: string[];
  startedAt: string;
  finishedAt: string;
  iterations: IterationResult[];
  /** k6-style aggregates: http_req_duration and iteration_duration (ms), http_req_failed and checks (rates), http_reqs (count). */
  metrics: Record<string, Record<string, number>>;
  thresholds: ThresholdOutcome[];
}
