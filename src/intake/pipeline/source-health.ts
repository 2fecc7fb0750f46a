/**
 * Whether a source's read can replace what the store holds. A feed whose schema drifted reads as
 * "no entries" or "every entry invalid", and replacing the stored KEV catalog or EPSS scores with
 * that would silently lower the risk of every upgrade: such a read is a failed source, and the
 * last accepted data stays.
 */
export type SourceKind = 'advisories' | 'kev' | 'epss';

export interface SourceReport {
  /** As configured (a path or URL). */
  source: string;
  kind: SourceKind;
  /** `ok`: accepted; `failed`: read but refused by the health check; `unreachable`: could not be read. */
  status: 'ok' | 'failed' | 'unreachable';
  /** Entries read without any problem. */
  valid: number;
  /** Entries rejected, or kept with a problem (an OSV record naming a version its ecosystem cannot read). */
  invalid: number;
  /** Valid entries of the last accepted read, when known. */
  previous?: number;
  /** Why the source failed or could not be read. */
  reason?: string;
}

export interface SourceHealthPolicy {
  /** Failed when invalid / (valid + invalid) is above this. */
  maxInvalidRatio: number;
  /** Failed when valid is below this share of `previous`. */
  minRetainedRatio: number;
}

/** The key a source's last accepted count is kept under: KEV and EPSS by kind (their file names change), OSV sources by spec. */
export function sourceKey(kind: SourceKind, spec: string): string {
  return kind === 'advisories' ? `advisories:${spec}` : kind;
}

/** Why this read must not replace the stored data, or undefined when it may. */
export function judgeSource(counts: { valid: number; invalid: number; previous?: number | undefined }, policy: SourceHealthPolicy): string | undefined {
  const { valid, invalid, previous } = counts;
  const total = valid + invalid;
  if (valid === 0) return total === 0 ? 'it yielded no entries' : `it yielded no valid entries (${invalid} invalid)`;
  if (invalid / total > policy.maxInvalidRatio) {
    return `${invalid} of ${total} entries are invalid (${percent(invalid / total)}, above intake.sourceHealth.maxInvalidRatio ${policy.maxInvalidRatio})`;
  }
  if (previous !== undefined && previous > 0 && valid < previous * policy.minRetainedRatio) {
    return `it yielded ${valid} valid entries where the last accepted read had ${previous} (${percent(valid / previous)}, below intake.sourceHealth.minRetainedRatio ${policy.minRetainedRatio})`;
  }
  return undefined;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.01 ? 2 : 1)}%`;
}
