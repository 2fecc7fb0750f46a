/**
 * What the readout takes from the verification stage (incidents, baselines, DORA), which is built
 * beside it. Each function is optional: until the composition root wires one, the section it feeds
 * says which source is missing instead of showing a number. Every value carries the name of where
 * it came from, shown next to it.
 */
export interface ReadoutSources {
  /** Incidents per service in the window before the change and the window after it. */
  incidents?: (query: IncidentQuery) => Promise<ServiceIncidents[]>;
  /** The before/after baseline comparison recorded for an upgrade (latency, errors, efficiency, KPIs, SLOs). */
  baselines?: (upgradeId: string) => Promise<BaselineReadout | undefined>;
  /** DORA metrics per bucket (month, or week for a short period) of a period. */
  dora?: (query: DoraQuery) => Promise<DoraTrend>;
}

/** A half-open UTC time range `[from, to)`, ISO-8601 text. */
export interface TimeRange {
  from: string;
  to: string;
}

export interface IncidentQuery {
  services: string[];
  before: TimeRange;
  after: TimeRange;
}

export interface ServiceIncidents {
  service: string;
  before: number;
  after: number;
  /** Where the counts come from, e.g. `incidents imported from pagerduty.json`. */
  source: string;
}

/** `efficiency` covers CPU and memory per request; `kpi` and `slo` the business figures. */
export type BaselineMetricKind = 'latency' | 'errors' | 'throughput' | 'efficiency' | 'kpi' | 'slo';

export interface BaselineMetric {
  service: string;
  /** e.g. `p95`, `error_rate`, `cpu_per_request`, `conversion`. */
  metric: string;
  kind: BaselineMetricKind;
  /** e.g. `ms`, `%`, `req/s`, `cpu-ms/req`. */
  unit: string;
  before: number;
  after: number;
  /** Whether a higher value is better (throughput, conversion) or worse (latency, errors). */
  higherIsBetter: boolean;
  /** The judge's verdict on the pair, when one ran, e.g. `pass` or `regression`. */
  verdict?: string;
}

export interface BaselineReadout {
  /** e.g. `baseline comparison bl_… (2026-11-20 to 2026-11-27 against 2026-11-28 to 2026-12-05)`. */
  source: string;
  metrics: BaselineMetric[];
}

export interface DoraQuery {
  period: TimeRange;
  bucket: 'week' | 'month';
}

export interface DoraPoint {
  /** The bucket's label, e.g. `2026-10`. */
  label: string;
  deploymentsPerWeek?: number;
  leadTimeHours?: number;
  /** 0..1 */
  changeFailRate?: number;
  recoveryHours?: number;
  /** 0..1 */
  reworkRate?: number;
}

export interface DoraTrend {
  source: string;
  points: DoraPoint[];
}
