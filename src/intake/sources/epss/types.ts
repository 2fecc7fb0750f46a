import type { UfError } from '../../../core/errors.js';

/** FIRST's Exploit Prediction Scoring System score for one CVE. */
export interface EpssScore {
  /** Probability of exploitation activity in the next 30 days, 0..1. */
  epss: number;
  /** Share of all scored CVEs with a score at or below this one, 0..1. */
  percentile: number;
}

export interface EpssData {
  /** From the file's first line `#model_version:…,score_date:…`, when it has one. */
  modelVersion?: string;
  scoreDate?: string;
  /** By CVE id. */
  scores: Map<string, EpssScore>;
  /** Lines that could not be read, each located by file and line (the first 100, then a count). */
  errors: UfError[];
  /** How many data lines were rejected, all of them: the source's health counts them. */
  invalid: number;
}
