import type { Journey } from '../../../config/sections/journeys.js';
import type { Clock } from '../../../core/clock.js';
import type { MeasurementResult, MetricWindow, Variant } from '../types.js';

/**
 * What to measure: one metric of one variant of one service over one window, read from the
 * source `settings` describe (one entry of factory.yaml's metric sources, validated by
 * `metricSourceSchema`).
 */
export interface MetricQuery<Settings> {
  /** The metric's name in the rollout policy, echoed in the measurement (`p95_latency`). */
  metric: string;
  /** The catalog name of the service, for `{{service}}`. */
  service: string;
  variant: Variant;
  window: MetricWindow;
  settings: Settings;
}

/**
 * A metric provider reads numbers and never decides: it answers a query with samples and an
 * aggregate (a `Measurement`), and leaves pass or fail to the judges.
 *
 * - `measure` never rejects. Anything that keeps it from measuring (the source is down, slower
 *   than the settings' timeout, answers garbage or an error, has no series where one was
 *   required) is an `ok: false` result whose reason names the endpoint: recorded as an error,
 *   never as a pass.
 * - Data read fine but nothing behind it (no request in the window) is an `ok: true` measurement
 *   with no samples, no value and a count of 0: the judge's "no data", again never a pass.
 * - `startWindow`, when a provider has it, is called as a window opens (before traffic is judged):
 *   providers that read cumulative counters take their starting reading then. It never rejects
 *   either; a failure there shows in the later `measure`.
 */
export interface MetricProvider<Settings> {
  /** The source kind it reads (`builtin`, `prometheus`, …), recorded as `source.provider`. */
  readonly id: string;
  measure(query: MetricQuery<Settings>): Promise<MeasurementResult>;
  startWindow?(query: MetricQuery<Settings>): Promise<void>;
}

/** What providers may need besides their settings, handed down by the composition root. */
export interface MetricProviderDeps {
  /** Dates scrapes and tells whether a window is over; only providers that keep readings use it. */
  clock: Clock;
  /** Reads an environment variable (a token named by `tokenEnv`); the composition root passes process.env. */
  env(name: string): string | undefined;
  /** The journeys of factory.yaml (`journeys:`), for the journey provider; none when absent. */
  journeys?: readonly Journey[];
  /**
   * Runs a journey (verify/probes' runner, passed in by the composition root: the rollout stage
   * does not import the verification stage, which builds on it). Without it the journey provider
   * answers every query with an error saying so.
   */
  runJourney?: JourneyRunner;
}

/** What the journey provider reads of a journey run (a structural slice of verify/probes' result). */
export interface JourneyRun {
  state: 'passing' | 'degraded' | 'failing';
  reasons: string[];
  iterations: { ok: boolean; steps: { checks: { check: string; ok: boolean; actual: string }[] }[] }[];
}

/** Runs a journey against a target (its base URL and extra headers). Never rejects. */
export type JourneyRunner = (journey: Journey, target: { baseUrl: string; headers?: Record<string, string> }, options: { iterations?: number }) => Promise<JourneyRun>;
