import type { MeasurementResult, MetricWindow, Verdict } from '../types.js';

/**
 * What a judge is asked: the measurements of one analysis step and the verdicts it gave earlier
 * in the same analysis (oldest first), e.g. for a failure limit.
 */
export interface JudgeInput {
  /** The window the analysis measured; every metric's evidence names it, measured or not. */
  window: MetricWindow;
  /** Every variant's measurement, or its error, for the metrics of the analysis. */
  results: readonly MeasurementResult[];
  /** Earlier verdicts of this judge in this analysis, oldest first; empty on the first one. */
  history: readonly Verdict[];
  /**
   * No variant can serve as the reference: at 100% the canary takes all the traffic, so stable and
   * baseline have none. Limits relative to a reference are not applied (and say so in the
   * evidence); a judge that only compares has nothing to judge and is inconclusive.
   */
  withoutReference?: boolean;
}

/**
 * A judge turns measurements into a verdict with its evidence. It is pure and deterministic: the
 * same input gives the same verdict, it reads no clock and does no I/O (the reconciler measures,
 * the judge decides). Rules every judge keeps (`judge.contract.ts`):
 * - no data, too few samples or a provider error is never a `pass`: `inconclusive` unless the
 *   data that did arrive already shows a failure;
 * - every configured metric has one evidence entry (metric, window, values per variant,
 *   threshold, statistics, reason), measured or not.
 * Judges are built from their settings by `registry.ts`.
 */
export interface Judge {
  /** The judge's kind, as in factory.yaml: `threshold`, `statistical`. */
  readonly id: string;
  judge(input: JudgeInput): Verdict;
}
