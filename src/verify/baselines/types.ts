import type { JudgeSettings } from '../../config/sections/judges.js';
import type { MetricSource } from '../../config/sections/metrics.js';
import type { Clock } from '../../core/clock.js';
import type { Judge } from '../../rollout/analysis/judges/types.js';
import type { MeasurementResult, MetricWindow, Variant } from '../../rollout/analysis/types.js';
import type { Db } from '../../store/db.js';

/**
 * Before/after baselines: each metric of the verification policy measured over a window before
 * the rollout started (the stable version) and over the verification window after it (the new
 * version at 100%), the two judged together (the policy's judge: Mann-Whitney by default, the
 * before-window as the reference), and the figures of both stored for the readout.
 */

/** Where the baselines read and store: the composition root hands these down. */
export interface BaselineDeps {
  db: Db;
  clock: Clock;
  /** A configured metric source's provider (never rejects: an error is a result). */
  measure(query: { metric: string; service: string; variant: Variant; window: MetricWindow; settings: MetricSource }): Promise<MeasurementResult>;
  judges(settings: JudgeSettings): Judge;
}

/** The figures of one side of a comparison: the samples' median, p95 and mean, and how many stand behind them. */
export interface SideFigures {
  /** Samples the judge compared. */
  samples: number;
  /** Events behind them (requests, scrapes), when the provider counts them. */
  events: number | null;
  median: number | null;
  p95: number | null;
  mean: number | null;
  window: MetricWindow | null;
  /** Why this side has no figures (a provider error), when it has none. */
  error?: string;
}

/** One metric's latest before/after comparison in a rollout, as stored and as the readout reads it. */
export interface BaselineSummary {
  rolloutId: string;
  upgradeId: string;
  service: string;
  metric: string;
  before: SideFigures;
  after: SideFigures;
  /** The judge's word for the metric: pass, high, low, nodata, nodata_fail (statistical), or the outcome. */
  classification: string;
  outcome: 'pass' | 'fail' | 'nodata' | 'error';
  /** The limit as the judge states it, and its sentence. */
  threshold: string;
  reason: string;
  judgedAt: string;
}
