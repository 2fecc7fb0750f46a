import type { CriticalPath, Tier } from '../core/service-map.js';
import type { ChangeClass } from '../core/upgrade/types.js';
import type { CisaDecision, SsvcInputs } from './ssvc/types.js';

/**
 * What risk scoring needs to know about one upgrade candidate: one component moved to one target
 * version across the services that use it. Intake and the service map fill it in; scoring is pure.
 */
export interface RiskInput {
  /** Exploitability: the advisories this upgrade fixes (empty for a plain maintenance upgrade). */
  advisories: FixedAdvisory[];
  /** Blast radius: the services that run the component and will receive the change. */
  services: AffectedService[];
  /** Reversibility: how hard the change is to take back. */
  reversibility: Reversibility;
  /** End of life of the version in use today, when known. */
  endOfLife?: EndOfLife;
  /**
   * Which enrichment sources were available. A false here turns "KEV lists none" or "no EPSS score"
   * into "unknown: no KEV catalog / EPSS data configured", so missing data never reads as a negative.
   * Undefined (older callers, tests) keeps the plain wording.
   */
  sources?: { kev: boolean; epss: boolean };
}

export interface FixedAdvisory {
  /** e.g. `GHSA-jfh8-c2jp-5v3q`. */
  id: string;
  /** e.g. `['CVE-2021-44228']`. */
  aliases: string[];
  /** CVSS v3.0 / v3.1 / v4.0 vectors from the advisory; unparseable or v2 vectors are ignored, and the explanation says so. */
  cvssVectors: string[];
  /** GHSA `database_specific.severity` (LOW, MODERATE, HIGH, CRITICAL), used only when no vector can be scored. */
  severityLabel?: string;
  /** FIRST EPSS: probability of exploitation activity in the next 30 days and its percentile, both 0..1. */
  epss?: { score: number; percentile: number };
  /** Present when CISA's Known Exploited Vulnerabilities catalog lists the advisory (or one of its aliases). */
  kev?: { dateAdded: string; knownRansomware: boolean };
}

export interface AffectedService {
  name: string;
  /** Catalog tier; unknown tiers count as the policy's `unknownTier`. */
  tier?: Tier;
  /** Share of the organisation's user traffic the service serves, 0..1. */
  trafficShare?: number;
  criticalPaths: CriticalPath[];
  /** Services that depend on this one directly or indirectly (from the service map). */
  transitiveDependents: number;
  /** Whether the service is reachable from the internet; undefined when the catalog does not say. */
  internetFacing?: boolean;
}

export interface Reversibility {
  /** The upgrade crosses a major version (semver major, or the ecosystem's equivalent). */
  majorVersionChange: boolean;
  /** Breaking changes listed in the release notes between the current and target versions. */
  breakingChanges: number;
  /** Schema or data migrations the upgrade requires. */
  migrationsRequired: number;
  deprecations: number;
  /**
   * Set when no release notes cover the move from the current to the target version (none
   * configured, or they do not reach one end of the range): the three counts above are then
   * unknown, not zero. The text says why, e.g. `no release notes for 0.4.0 → 9.0.0`.
   */
  releaseNotesUnknown?: string;
  /** Age of the most recent rollback drill (the oldest across affected services); undefined = never drilled. */
  rollbackDrillAgeDays?: number;
}

export interface EndOfLife {
  /** ISO date, shown in the explanation. */
  eolDate?: string;
  /** Days from the assessment to end of life, negative once past it. Scoring uses this, not the date, so it stays pure. */
  daysToEol?: number;
}

export type FactorGroup = 'exploitability' | 'blast_radius' | 'reversibility' | 'end_of_life';

export interface RiskFactor {
  /** Stable name, the same as its key in the policy's `factorWeights` (`endOfLife` is alone in its group), e.g. `cvssBase`. */
  name: string;
  group: FactorGroup;
  /** What was observed, e.g. 9.8, true, `critical`, `payment, auth`. */
  value: string | number | boolean;
  /** The most points this factor can add to the 0–100 score under the policy. */
  weight: number;
  /** Points it did add: weight × its normalised value (0..1). */
  contribution: number;
  /** One readable sentence: what was seen and how it counted. */
  reason: string;
}

export type { ChangeClass };

export interface RiskAssessment {
  /** 0..100, the rounded sum of factor contributions, capped at 100. */
  score: number;
  /** CISA SSVC coordinator decision for the most urgent advisory the upgrade fixes (`track` when it fixes none). */
  decision: CisaDecision;
  changeClass: ChangeClass;
  /** Every factor, always in the same order, including those that added nothing. */
  factors: RiskFactor[];
  /** The SSVC decision points behind `decision`. */
  ssvcInputs: SsvcInputs;
  /** Why `decision`: which advisory, which inputs, and where each input came from. */
  decisionReason: string;
  /** Why `changeClass`. */
  changeClassReason: string;
  /** A few sentences for people: decision, change class, score and its largest contributions. */
  summary: string;
}
