import type { Deployment } from './deployments.js';
import type { Period } from './period.js';

/** An incident as the DORA figures need it. */
export interface DoraIncident {
  id: string;
  service: string | null;
  startedAt: string;
  resolvedAt: string | null;
  upgradeId: string | null;
  changeRef: string | null;
}

/** What `computeDora` reads: everything already loaded from the store. */
export interface DoraInput {
  period: Period;
  deployments: readonly Deployment[];
  incidents: readonly DoraIncident[];
  /** Upgrade id -> when the release it installs was published upstream (earliest advisory it fixes). */
  upstreamPublishedAt: ReadonlyMap<string, { at: string; source: string }>;
  /** Upgrade id -> when its change record was created. */
  changeCreatedAt: ReadonlyMap<string, string>;
  /** Only deployments touching one of these services (undefined: all). */
  services?: ReadonlySet<string>;
}

/** One deployment's part in a figure, so a reader can check the arithmetic. */
export interface DoraRecord {
  deployment: string;
  upgradeId: string;
  at: string;
  detail: string;
}

export interface RatioFigure {
  /** numerator / denominator; null when the denominator is 0. */
  value: number | null;
  numerator: number;
  denominator: number;
  records: DoraRecord[];
}

export interface DurationSample {
  deployment: string;
  upgradeId: string;
  from: string;
  to: string;
  hours: number;
  detail: string;
}

export interface MedianFigure {
  /** Median of the samples' hours; null without samples. */
  medianHours: number | null;
  /** Samples counted / records that could have one. */
  numerator: number;
  denominator: number;
  samples: DurationSample[];
}

export interface DoraReport {
  period: Period;
  scope: { service?: string; team?: string; services?: string[] };
  deploymentFrequency: { deployments: number; days: number; perDay: number; perWeek: number; numerator: number; denominator: number; reachedFullTraffic: number; records: DoraRecord[] };
  changeLeadTime: {
    /** Which start the headline median uses: `upstream` when every done deployment has one, else `change-created`. */
    headline: 'upstream' | 'change-created' | null;
    medianHours: number | null;
    fromUpstream: MedianFigure;
    fromChangeCreated: MedianFigure;
  };
  changeFailRate: RatioFigure;
  failedDeploymentRecoveryTime: MedianFigure & { unrecovered: DoraRecord[] };
  deploymentReworkRate: RatioFigure;
}
