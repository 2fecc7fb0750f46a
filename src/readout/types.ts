import type { Upgrade } from '../core/upgrade/index.js';
import type { AvoidedCost } from './economics/model.js';
import type { Period } from '../core/period.js';
import type { BaselineReadout, DoraTrend, ServiceIncidents, TimeRange } from './sources.js';

/** A value the readout could not fill, and why: shown in place of a number. */
export type Missing = string;

export interface VersionChange {
  name: string;
  from: string[];
  to: string;
}

export interface AdvisoryReason {
  label: string;
  /** `CVSS 3.1 base 9.8 (CRITICAL) from …`, or why no severity is known. */
  severity: string;
  epss?: { score: number; percentile: number };
  kev?: { dateAdded: string; knownRansomware: boolean };
}

export interface UpgradeReadout {
  kind: 'upgrade';
  generatedAt: string;
  upgrade: Pick<Upgrade, 'id' | 'name' | 'ecosystem' | 'state' | 'changeClass' | 'createdAt' | 'updatedAt'> & { completedAt?: string; startedAt?: string };
  whatChanged: { versions: VersionChange[]; services: string[]; rolloutServices: { service: string; state: string; attempt: number }[] };
  whyNow: {
    assessment?: { id: string; at: string; score: number; decision: string; decisionReason: string; changeClass: string; changeClassReason: string };
    advisories: AdvisoryReason[];
    endOfLife?: { date?: string; daysToEol?: number };
    missing: Missing[];
  };
  riskReduced: {
    before?: { score: number; at: string; source: string };
    after?: { score: number; source: string };
    afterMissing?: Missing;
    findings: { total: number; open: number };
    history: { at: string; score: number }[];
    avoidedCost: AvoidedCost;
  };
  businessMetrics: {
    windows?: { before: TimeRange; after: TimeRange };
    baselines?: BaselineReadout;
    incidents?: ServiceIncidents[];
    missing: Missing[];
  };
}

export interface PeriodReadout {
  kind: 'period';
  generatedAt: string;
  period: Period;
  upgrades: UpgradeReadout[];
  totals: {
    done: number;
    rolledBack: number;
    advisoriesFixed: number;
    kevFixed: number;
    riskPointsRemoved: number;
    /** Upgrades whose risk after is not known yet, so their points are not in `riskPointsRemoved`. */
    riskUnknownFor: string[];
    avoidedCost: { currency: string; known: number; amount?: number; unknownFor: string[] };
  };
  dora?: DoraTrend;
  missing: Missing[];
}

export type Readout = UpgradeReadout | PeriodReadout;
