/**
 * An OSV advisory as the rest of the factory sees it: validated against the OSV schema, with
 * absent and null lists made empty, and names kept exactly as the record spells them (matching
 * normalises with `normalizePackageName`, never by changing the record).
 */
export type SeverityType = 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' | 'Ubuntu';

export interface Severity {
  type: SeverityType;
  /** A CVSS vector (`CVSS:3.1/AV:N/…`) or, for `Ubuntu`, a word such as `high`. */
  score: string;
}

/** One OSV range event: exactly one key. Spelled as in OSV, so it reads like the record. */
export type RangeEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

export type RangeType = 'SEMVER' | 'ECOSYSTEM' | 'GIT';

export interface AffectedRange {
  type: RangeType;
  /** The repository a GIT range's commits belong to. */
  repo?: string;
  /** In record order; OSV evaluation sorts them by version itself. */
  events: RangeEvent[];
}

export interface AffectedPackage {
  /** Ecosystem as written, suffix included (`Debian:11`); `ecosystemBase` gives `Debian`. */
  ecosystem: string;
  /** Name as written (`Axios`, `Django`); `normalizePackageName` gives the matching key. */
  name: string;
  purl?: string;
}

export interface Affected {
  package?: AffectedPackage;
  ranges: AffectedRange[];
  /** Explicitly listed affected versions. */
  versions: string[];
  severity: Severity[];
  databaseSpecific?: Record<string, unknown>;
  ecosystemSpecific?: Record<string, unknown>;
}

export type ReferenceType =
  | 'ADVISORY' | 'ARTICLE' | 'DETECTION' | 'DISCUSSION' | 'REPORT' | 'FIX' | 'INTRODUCED' | 'GIT' | 'PACKAGE'
  | 'EVIDENCE' | 'WEB';

export interface Reference {
  type: ReferenceType;
  url: string;
}

export interface Advisory {
  id: string;
  /** RFC 3339 UTC timestamps, as written. */
  modified: string;
  published?: string;
  /** Set when the database withdrew the advisory: its findings are to be retired, not raised. */
  withdrawn?: string;
  /** Other ids of the same vulnerability (`CVE-2021-44228`): the join key with KEV and EPSS. */
  aliases: string[];
  related: string[];
  /** Ids this record was derived from (a distribution's record names the upstream CVE here). */
  upstream: string[];
  summary?: string;
  details?: string;
  severity: Severity[];
  affected: Affected[];
  references: Reference[];
  /** `database_specific.severity` when it is a string: GHSA's `LOW` / `MODERATE` / `HIGH` / `CRITICAL`. */
  databaseSeverity?: string;
  /** CWE ids (`CWE-79`) from `database_specific.cwe_ids` and GHSA's per-package `cwes`, first seen first. */
  cwes: string[];
  /** sha256 (hex) of the record's canonical JSON (RFC 8785 style): equal records, equal hashes. */
  contentHash: string;
}
