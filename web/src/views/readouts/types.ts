/**
 * The JSON readout (`?format=json`) as the view reads it. The route declares its answer as
 * `unknown` (it also answers Markdown and HTML), so the generated types do not carry this shape:
 * it mirrors src/readout/types.ts and must follow it when that changes.
 */
export interface ShownInput {
  name: string;
  value: string;
  source: string;
}

export type AvoidedCost =
  | { status: 'known'; amount: number; currency: string; formula: string; inputs: ShownInput[] }
  | { status: 'unknown'; currency: string; missing: string[]; inputs: ShownInput[] }
  | { status: 'not_applicable'; currency: string; reason: string; inputs: ShownInput[] };

export interface BaselineMetric {
  service: string;
  metric: string;
  kind: string;
  unit: string;
  before: number;
  after: number;
  higherIsBetter: boolean;
  verdict?: string;
}

export interface TimeRange {
  from: string;
  to: string;
}

export interface UpgradeReadout {
  kind: 'upgrade';
  generatedAt: string;
  upgrade: { id: string; name: string; ecosystem: string; state: string; changeClass: string; createdAt: string; updatedAt: string; completedAt?: string; startedAt?: string };
  whatChanged: { versions: { name: string; from: string[]; to: string }[]; services: string[]; rolloutServices: { service: string; state: string; attempt: number }[] };
  whyNow: {
    assessment?: { id: string; at: string; score: number; decision: string; decisionReason: string; changeClass: string; changeClassReason: string };
    advisories: { label: string; severity: string; epss?: { score: number; percentile: number }; kev?: { dateAdded: string; knownRansomware: boolean } }[];
    endOfLife?: { date?: string; daysToEol?: number };
    missing: string[];
  };
  riskReduced: {
    before?: { score: number; at: string; source: string };
    after?: { score: number; source: string };
    afterMissing?: string;
    findings: { total: number; open: number };
    history: { at: string; score: number }[];
    avoidedCost: AvoidedCost;
  };
  businessMetrics: {
    windows?: { before: TimeRange; after: TimeRange };
    baselines?: { source: string; metrics: BaselineMetric[] };
    incidents?: { service: string; before: number; after: number; source: string }[];
    missing: string[];
  };
}

export interface DoraPoint {
  label: string;
  deploymentsPerWeek?: number;
  leadTimeHours?: number;
  changeFailRate?: number;
  recoveryHours?: number;
  reworkRate?: number;
}

export interface PeriodReadout {
  kind: 'period';
  generatedAt: string;
  period: { from: string; to: string; label: string };
  upgrades: UpgradeReadout[];
  totals: {
    done: number;
    rolledBack: number;
    advisoriesFixed: number;
    kevFixed: number;
    riskPointsRemoved: number;
    riskUnknownFor: string[];
    avoidedCost: { currency: string; known: number; amount?: number; unknownFor: string[] };
  };
  dora?: { source: string; points: DoraPoint[] };
  missing: string[];
}
